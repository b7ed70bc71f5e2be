using System.Net;
using System.Net.Sockets;

namespace Joold.Testing;

/// <summary>Distinct free TCP ports on 127.0.0.1 for servers that must be named before they start.</summary>
public static class TcpPorts
{
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
            listeners.ForEach(l => l.Dispose());
        }
    }
}
