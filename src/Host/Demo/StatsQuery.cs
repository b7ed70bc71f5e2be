using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Stats;

namespace Joold.Host.Demo;

/// <summary>Asks a stats server for its counters, exactly as an operator would with <c>echo "" | nc -u</c>.</summary>
internal static class StatsQuery
{
    /// <summary>The six counters of the reply; <see cref="FormatException"/> if the reply is not C joold's six lines.</summary>
    public static async Task<StatsSnapshot> QueryAsync(IPEndPoint server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await client.SendToAsync("\n"u8.ToArray(), SocketFlags.None, server, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[2048];
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        int length = await client.ReceiveAsync(buffer, SocketFlags.None, timeoutSource.Token).ConfigureAwait(false);
        return JooldStatsText.Parse(Encoding.ASCII.GetString(buffer, 0, length));
    }
}
