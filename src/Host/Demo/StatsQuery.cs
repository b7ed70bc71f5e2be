using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Joold.Host.Demo;

/// <summary>Asks a stats server for its counters, exactly as an operator would with <c>nc -u</c>.</summary>
internal static class StatsQuery
{
    public static async Task<IReadOnlyDictionary<string, long>> QueryAsync(IPEndPoint server, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var client = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await client.SendToAsync(Array.Empty<byte>(), SocketFlags.None, server, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[2048];
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        int length = await client.ReceiveAsync(buffer, SocketFlags.None, either.Token).ConfigureAwait(false);
        return Parse(Encoding.ASCII.GetString(buffer, 0, length));
    }

    public static IReadOnlyDictionary<string, long> Parse(string text)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && long.TryParse(line.AsSpan(comma + 1), out long value))
            {
                values[line[..comma]] = value;
            }
        }

        return values;
    }
}
