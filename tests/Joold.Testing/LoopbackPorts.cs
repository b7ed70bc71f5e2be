using System.Net;
using System.Net.Sockets;

namespace Joold.Testing;

/// <summary>Distinct free UDP ports on 127.0.0.1, for daemons that must know each other's port before starting.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// Binds <paramref name="count"/> sockets to ephemeral ports at once (so they differ), then frees them. Another
    /// process could take one in between; the kernel picks ephemeral ports at random, which makes that unlikely.
    /// </summary>
    public static int[] Reserve(int count)
    {
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }
}
