using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>Asks a daemon's stats server for its counters with a real UDP client, as <c>echo "" | nc -u</c> does.</summary>
internal static class StatsClient
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends one datagram holding "\n" to <paramref name="server"/> from a socket opened in
    /// <paramref name="namespacePath"/> (ours when null) and parses the reply.
    /// </summary>
    public static async Task<JooldStats> QueryAsync(IPEndPoint server, string? namespacePath = null)
    {
        using var client = await NetnsThread.CreateUdpSocketAsync(namespacePath, server.AddressFamily);
        client.Connect(server);
        await client.SendAsync("\n"u8.ToArray(), SocketFlags.None);
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            int length = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return JooldStats.Parse(Encoding.ASCII.GetString(buffer, 0, length));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No stats reply from {server} within {ReplyTimeout.TotalSeconds} s.");
        }
    }
}
