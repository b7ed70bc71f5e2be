using System.Net;
using System.Net.Sockets;

namespace Joold.Testing;

/// <summary>
/// Ports on 127.0.0.1 for daemons that must know each other's port before either binds (two Unicast peers name
/// each other), which "bind port 0 and read the port back" cannot give. The ports are free when picked and then
/// released, so another process may take one before the daemon binds it: the race this name warns of.
/// <see cref="StartAsync"/> retries with new ports when that happens. Prefer port 0 and
/// <see cref="DaemonProcess.WaitForEndPointAsync"/> (or a transport's bound endpoint), or fixed ports inside a
/// private network namespace, wherever they can be used.
/// </summary>
public static class RacyLoopbackPorts
{
    /// <summary>How often <see cref="StartAsync"/> tries; a port taken twice in a row is already very unlikely.</summary>
    public const int Attempts = 5;

    /// <summary><paramref name="count"/> distinct UDP ports that are free on 127.0.0.1 now, and not held.</summary>
    public static int[] Pick(int count)
    {
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // all held at once, so they differ
            }

            return sockets.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToArray();
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// Runs <paramref name="start"/> with <paramref name="count"/> picked ports, and again with new ones when it fails
    /// because a port was taken in between (<see cref="IsAddressInUse"/>). <paramref name="start"/> must leave
    /// nothing running when it throws.
    /// </summary>
    public static async Task<T> StartAsync<T>(int count, Func<int[], Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await start(Pick(count)).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < Attempts && IsAddressInUse(e))
            {
                // Another process took a port between the pick and the bind: pick again.
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
