using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Joold.Plugins.Unicast;

/// <summary>
/// The configured peers in the socket's own address format: where batches go, and the addresses a datagram
/// may come from. IPv4 peers of a dual-stack socket appear as IPv4-mapped IPv6, as the kernel reports them.
/// </summary>
internal sealed class PeerTable
{
    // The peers' addresses as 128-bit keys: a lookup per datagram, where a scan cost as many compares as peers.
    private readonly HashSet<UInt128> _addresses;

    public PeerTable(IReadOnlyList<IPEndPoint> peers, AddressFamily socketFamily)
    {
        EndPoints = [.. peers];
        SendAddresses = new SocketAddress[peers.Count];
        _addresses = new HashSet<UInt128>(peers.Count);
        for (int i = 0; i < peers.Count; i++)
        {
            var peer = peers[i];
            var inSocketFamily = socketFamily == AddressFamily.InterNetworkV6 && peer.AddressFamily == AddressFamily.InterNetwork
                ? new IPEndPoint(peer.Address.MapToIPv6(), peer.Port)
                : peer;
            SendAddresses[i] = inSocketFamily.Serialize();
            _addresses.Add(AddressKey(SendAddresses[i]));
        }
    }

    /// <summary>The peers as configured, for messages.</summary>
    public IPEndPoint[] EndPoints { get; }

    /// <summary>One reusable socket address per peer, in <see cref="EndPoints"/> order.</summary>
    public SocketAddress[] SendAddresses { get; }

    /// <summary>Whether <paramref name="sender"/>'s address (any port) is a peer's. Allocation-free.</summary>
    public bool Contains(SocketAddress sender) => _addresses.Contains(AddressKey(sender));

    /// <summary>
    /// The address as a number: the 16 bytes of an IPv6 address, or the 4 of an IPv4 one. One table holds one
    /// family (the socket's), so the two forms never meet; an address of neither family (never seen on an IP socket) is 0.
    /// </summary>
    private static UInt128 AddressKey(SocketAddress address)
    {
        var bytes = AddressBytes(address);
        return bytes.Length switch
        {
            16 => new UInt128(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..])),
            4 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            _ => UInt128.Zero,
        };
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
