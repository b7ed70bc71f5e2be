using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Joold.Ops.Tests.Support;

/// <summary>The daemon's six stats lines, asked as `echo "" | nc -u 127.0.0.1 PORT` would.</summary>
internal static class UdpStats
{
    public static async Task<string> QueryAsync(int port)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var buffer = new byte[2048];
        try
        {
            await client.SendToAsync(new byte[] { (byte)'\n' }, new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
            int length = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException)
        {
            return "";
        }
    }
}
