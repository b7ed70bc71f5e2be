using System.Net;
using System.Net.Sockets;

namespace Joold.Nats.Tests.Support;

/// <summary>Distinct free TCP ports on 127.0.0.1, for servers that must know each other's ports before starting.</summary>
internal static class TcpPorts
{
    /// <summary>Binds <paramref name="count"/> listeners at once (so the ports differ), then frees them.</summary>
    public static int[] Reserve(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
