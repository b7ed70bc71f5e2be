using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Joold.Sockets;

/// <summary>
/// Binds a listening socket to a configured address, refusing an address this host does not have even where Linux
/// accepts it: in a network namespace that never had an IPv4 address (no local routing table yet, as in a fresh
/// namespace before its loopback is up) bind() takes any IPv4 address, and the daemon would start deaf.
/// </summary>
public static class LocalBind
{
    /// <summary>Binds <paramref name="socket"/> to <paramref name="endPoint"/>.</summary>
    /// <exception cref="SocketException">The bind failed, or the address is not this host's (<see cref="SocketError.AddressNotAvailable"/>).</exception>
    public static void Bind(Socket socket, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(endPoint);
        socket.Bind(endPoint);
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        if (address.AddressFamily == AddressFamily.InterNetwork && NeedsAnInterface(address) && !AnyIPv4AddressAssigned())
        {
            throw new SocketException((int)SocketError.AddressNotAvailable);
        }
    }

    private static bool NeedsAnInterface(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        bool any = bytes.SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 0]);
        bool broadcast = bytes.SequenceEqual((ReadOnlySpan<byte>)[255, 255, 255, 255]);
        bool multicast = bytes[0] is >= 224 and <= 239;
        return !any && !broadcast && !multicast;
    }

    /// <summary>
    /// With one IPv4 address anywhere, the kernel has its local table and refuses a foreign address itself; without
    /// any, no IPv4 address can be this host's. The interfaces are those of the calling thread's namespace.
    /// </summary>
    private static bool AnyIPv4AddressAssigned() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Any(i => i.GetIPProperties().UnicastAddresses.Any(a => a.Address.AddressFamily == AddressFamily.InterNetwork));
}
