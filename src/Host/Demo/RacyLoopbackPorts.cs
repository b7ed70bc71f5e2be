using System.Net;
using System.Net.Sockets;

namespace Joold.Host.Demo;

/// <summary>
/// Picks UDP ports that are free on 127.0.0.1 now and releases them, so two demos can run side by side. Another
/// process may take one before a node binds it (the race the name warns of), so the caller picks again when a
/// bind fails with "address in use". Binding port 0 and reading the port back would have no race, but the demo
/// cannot: its two Unicast nodes name each other as peers before either binds, and StatsUdp's configuration
/// takes ports 1 to 65535 only.
/// </summary>
internal static class RacyLoopbackPorts
{
    public static int[] Pick(int count)
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

    /// <summary>Whether <paramref name="error"/>, or an exception inside it, is a bind that failed with EADDRINUSE.</summary>
    public static bool IsAddressInUse(Exception? error) => error switch
    {
        null => false,
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsAddressInUse),
        _ => IsAddressInUse(error.InnerException),
    };
}
