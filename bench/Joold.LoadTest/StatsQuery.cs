using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Testing.Namespaces;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Joold.LoadTest;

/// <summary>
/// Asks a daemon's stats server for its counters (one datagram, as <c>echo "" | nc -u</c>), from a UDP socket opened
/// in the daemon's network namespace when one is given: a socket belongs to the namespace of the thread that
/// created it, so it is created on a fresh thread that joined the namespace with setns(2).
/// </summary>
internal static class StatsQuery
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(5);

    public static async Task<DaemonStats> AskAsync(int port, string? namespacePath)
    {
        using var client = await NetnsThread.CreateUdpSocketAsync(namespacePath, AddressFamily.InterNetwork).ConfigureAwait(false);
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        await client.SendAsync("\n"u8.ToArray(), SocketFlags.None).ConfigureAwait(false);
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            int length = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return DaemonStats.Parse(Encoding.ASCII.GetString(buffer, 0, length));
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No stats reply from 127.0.0.1:{port}{(namespacePath is null ? "" : $" in {namespacePath}")} within {ReplyTimeout.TotalSeconds} s.");
        }
    }
}
