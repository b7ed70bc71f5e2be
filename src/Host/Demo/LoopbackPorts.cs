using System.Net;
using System.Net.Sockets;

namespace Joold.Host.Demo;

/// <summary>Picks UDP ports that are free on 127.0.0.1 right now, so two demos can run side by side.</summary>
internal static class LoopbackPorts
{
    public static int[] Reserve(int count)
    {
        var sockets = new Socket[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sockets[i].Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }
}
