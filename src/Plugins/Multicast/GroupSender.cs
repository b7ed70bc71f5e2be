using System.Net;
using System.Net.Sockets;
using Joold.Sockets;
using Tmds.Linux;

namespace Joold.Plugins.Multicast;

/// <summary>
/// For an IPv6 group, a second socket on the group's address and port, connected to the group, that only sends.
/// The kernel keeps a connected socket's route and source address, so a batch costs one send(2) without the route
/// lookup and source address selection every sendto(2) on the unconnected socket repeats (measured: about 1 µs a
/// datagram, 11 % of the kernel side's CPU per batch in perf). Same source address and port, same options, same
/// bytes on the wire. It never receives: a connected UDP socket takes only datagrams whose source is the group,
/// which none has, and it joins no group. When it cannot send (not connected, a send error), the caller sends
/// through the unconnected socket as before, which reports the error; <see cref="Reconnect"/> (at every interface
/// refresh) connects again, which also picks the source address afresh.
/// Not for IPv4: there a connected socket's fixed source address makes the kernel send multicast out of that
/// address's device without a route lookup, so a send on a link that is down is dropped silently instead of failing.
/// </summary>
internal sealed class GroupSender : IDisposable
{
    /// <summary>IPV6_MULTICAST_ALL (linux/in6.h): off, so groups other sockets joined are not delivered here either.</summary>
    private const int Ipv6MulticastAll = 29;

    private readonly Socket _socket;
    private readonly MulticastOptions _options;
    private readonly SocketAddress _group;
    private volatile bool _connected;

    private GroupSender(Socket socket, MulticastOptions options, SocketAddress group)
    {
        _socket = socket;
        _options = options;
        _group = group;
    }

    /// <summary>Whether sends go through this socket now (for tests).</summary>
    public bool IsConnected => _connected;

    /// <summary>The socket (tests read its options back).</summary>
    internal Socket Socket => _socket;

    /// <summary>
    /// Opens the socket with the unconnected one's options (SO_REUSEADDR, the bind to the group, loop off, TTL, out
    /// interface, send buffer) and connects it. Null when a step fails: the transport then sends as before.
    /// </summary>
    public static GroupSender? TryOpen(MulticastOptions options, IPEndPoint group)
    {
        if (group.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var socket = new Socket(group.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            MulticastSocketFactory.SetInt(socket, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1);
            MulticastSocketFactory.SetInt(socket, LibC.IPPROTO_IPV6, Ipv6MulticastAll, 0);
            if (options.SendBuffer > 0)
            {
                Sockets.SocketBuffers.SetSendBuffer(socket.SafeHandle, options.SendBuffer);
            }

            socket.Bind(group);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, false);
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, options.Ttl);

            var sender = new GroupSender(socket, options, group.Serialize());
            sender.Reconnect();
            return sender;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>
    /// Sends <paramref name="datagram"/> now, without blocking; true only if the socket took all of it. False sends
    /// nothing the caller can see: the caller sends it the ordinary way. A send error disconnects until the next
    /// <see cref="Reconnect"/>, so a broken route does not cost two sends a batch.
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        if (!_connected)
        {
            return false;
        }

        int error;
        int sent;
        try
        {
            error = DatagramSender.TrySend(_socket.SafeHandle, datagram, destination: null, out sent);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        if (error != 0 && error != LibC.EAGAIN)
        {
            _connected = false;
        }

        return error == 0 && sent == datagram.Length;
    }

    /// <summary>
    /// Sets the out interface again (an interface created anew has a new index) and connects again, which also
    /// looks the route and source address up afresh. Errors leave the sender disconnected until the next call.
    /// </summary>
    public unsafe void Reconnect()
    {
        var handle = _socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            if (!SetOutInterface(fd))
            {
                _connected = false;
                return;
            }

            fixed (byte* address = _group.Buffer.Span)
            {
                _connected = LibC.connect(fd, (sockaddr*)address, (socklen_t)_group.Size) == 0;
            }
        }
        catch (ObjectDisposedException)
        {
            _connected = false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        _connected = false;
        _socket.Dispose();
    }

    /// <summary>IPV6_MULTICAST_IF as the unconnected socket has it; false when the interface is missing.</summary>
    private unsafe bool SetOutInterface(int fd)
    {
        if (_options.OutInterface is null)
        {
            return true;
        }

        int index = MulticastSocketFactory.GetInterfaceIndex(_socket, _options.OutInterface);
        return index != 0 && LibC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF, &index, sizeof(int)) == 0;
    }
}
