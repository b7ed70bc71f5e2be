using System.Net;
using System.Net.Sockets;

namespace Joold.Plugins.Unicast;

/// <summary>
/// The configured peers in the socket's own address format: where batches go, and the addresses a datagram
/// may come from. IPv4 peers of a dual-stack socket appear as IPv4-mapped IPv6, as the kernel reports them.
/// </summary>
internal sealed class PeerTable
{
    private readonly byte[][] _addresses;

    public PeerTable(IReadOnlyList<IPEndPoint> peers, AddressFamily socketFamily)
    {
        EndPoints = [.. peers];
        SendAddresses = new SocketAddress[peers.Count];
        _addresses = new byte[peers.Count][];
        for (int i = 0; i < peers.Count; i++)
        {
            var peer = peers[i];
            var inSocketFamily = socketFamily == AddressFamily.InterNetworkV6 && peer.AddressFamily == AddressFamily.InterNetwork
                ? new IPEndPoint(peer.Address.MapToIPv6(), peer.Port)
                : peer;
            SendAddresses[i] = inSocketFamily.Serialize();
            _addresses[i] = AddressBytes(SendAddresses[i]).ToArray();
        }
    }

    /// <summary>The peers as configured, for messages.</summary>
    public IPEndPoint[] EndPoints { get; }

    /// <summary>One reusable socket address per peer, in <see cref="EndPoints"/> order.</summary>
    public SocketAddress[] SendAddresses { get; }

    /// <summary>Whether <paramref name="sender"/>'s address (any port) is a peer's. Allocation-free.</summary>
    public bool Contains(SocketAddress sender)
    {
        var address = AddressBytes(sender);
        foreach (byte[] peer in _addresses)
        {
            if (address.SequenceEqual(peer))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The IP address inside a sockaddr: sockaddr_in keeps it at bytes 4-7, sockaddr_in6 at bytes 8-23 (after the
    /// family, port and flow label). Port and flow label are left out on purpose.
    /// </summary>
    private static ReadOnlySpan<byte> AddressBytes(SocketAddress address)
    {
        var bytes = address.Buffer.Span[..address.Size];
        return address.Family switch
        {
            AddressFamily.InterNetwork when bytes.Length >= 8 => bytes[4..8],
            AddressFamily.InterNetworkV6 when bytes.Length >= 24 => bytes[8..24],
            _ => [],
        };
    }
}
