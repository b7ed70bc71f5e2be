using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Configuration;
using Joold.Sockets;
using Tmds.Linux;

namespace Joold.Plugins.Multicast;

/// <summary>
/// Resolves the group and opens the socket exactly as C joold's netsocket.c does (spec 5.2 step 5, 5.4), with two
/// additions: bigger socket buffers and, for IPv4, IP_MULTICAST_ALL off. Everything here runs synchronously on the
/// calling thread, so the socket lives in the caller's network namespace.
/// </summary>
internal static class MulticastSocketFactory
{
    /// <summary>IFNAMSIZ: interface names are at most 15 bytes plus the NUL.</summary>
    private const int InterfaceNameSize = 16;

    /// <summary>struct ifreq: the name, then a union whose first int is ifr_ifindex.</summary>
    private const int InterfaceRequestSize = 40;

    /// <summary>The group as getaddrinfo(AF_UNSPEC) would give it: a literal as is, a name through the resolver.</summary>
    public static IPAddress ResolveGroup(MulticastOptions options)
    {
        if (IPAddress.TryParse(options.Address, out var literal))
        {
            options.CheckGroup(literal);
            return literal;
        }

        IPAddress[] candidates;
        try
        {
            candidates = Dns.GetHostAddresses(options.Address);
        }
        catch (SocketException e)
        {
            throw new JooldConfigException(
                $"{options.Source}: '{MulticastOptions.AddressKey}' is \"{options.Address}\", which cannot be resolved: {e.Message}");
        }

        if (candidates.Length == 0)
        {
            throw new JooldConfigException(
                $"{options.Source}: '{MulticastOptions.AddressKey}' is \"{options.Address}\", which resolves to no address.");
        }

        // C joold takes the first candidate it can bind; only a group can be bound to, so the first group wins.
        var group = Array.Find(candidates, MulticastOptions.IsMulticast) ?? candidates[0];
        options.CheckGroup(group);
        return group;
    }

    /// <summary>Opens, binds, joins and tunes the socket; disposes it and throws a one-line error if a step fails.</summary>
    public static Socket Open(MulticastOptions options, IPAddress group, out SocketBufferSize receiveBuffer)
    {
        var socket = new Socket(group.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            bool v4 = group.AddressFamily == AddressFamily.InterNetwork;
            string where = $"{options.Source}: multicast socket for {new IPEndPoint(group, options.Port)}";

            // Raw, not Socket.ReuseAddress: on Linux .NET also sets SO_REUSEPORT, which C joold does not.
            Step(where, "SO_REUSEADDR", () => SetInt(socket, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, 1));
            try
            {
                receiveBuffer = options.ReceiveBuffer > 0
                    ? SocketBuffers.SetReceiveBuffer(socket.SafeHandle, options.ReceiveBuffer)
                    : new SocketBufferSize(0, SocketBuffers.GetReceiveBuffer(socket.SafeHandle), Forced: false);
                if (options.SendBuffer > 0)
                {
                    SocketBuffers.SetSendBuffer(socket.SafeHandle, options.SendBuffer);
                }
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"{where}: {e.Message}", e);
            }

            // Bound to the group itself, as C joold does, so datagrams to other addresses on the port stay out.
            if (NeedsScope(group))
            {
                throw new JooldConfigException(
                    $"{options.Source}: '{MulticastOptions.AddressKey}' is \"{options.Address}\", a link-local group, which needs its interface: write it as \"{group}%eth0\" (with your interface's name) or use a wider scope such as ff08::/16.");
            }

            Step(where, "bind", () => socket.Bind(new IPEndPoint(group, options.Port)));

            if (v4)
            {
                ConfigureIPv4(socket, options, group, where);
            }
            else
            {
                ConfigureIPv6(socket, options, group, where);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Joins the group and sets the out interface again, for when an interface was deleted and created anew: the
    /// kernel then has a new index for it, and the socket's membership and out interface still name the old one.
    /// Raw setsockopt, so the usual answer ("already a member", EADDRINUSE) costs no exception; errors are ignored
    /// (a missing interface shows as failed sends, which are logged). Returns whether a new membership was made.
    /// </summary>
    public static unsafe bool RefreshInterfaces(Socket socket, MulticastOptions options, IPAddress group)
    {
        bool added = false;
        bool joined = false;
        try
        {
            socket.SafeHandle.DangerousAddRef(ref added);
            int fd = (int)socket.SafeHandle.DangerousGetHandle();
            if (group.AddressFamily == AddressFamily.InterNetwork)
            {
                // struct ip_mreq { imr_multiaddr; imr_interface }, as in the first join.
                byte* membership = stackalloc byte[8];
                group.TryWriteBytes(new Span<byte>(membership, 4), out _);
                (options.InInterface is null ? IPAddress.Any : IPAddress.Parse(options.InInterface)).TryWriteBytes(new Span<byte>(membership + 4, 4), out _);
                joined = LibC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_ADD_MEMBERSHIP, membership, 8) == 0;
                if (options.OutInterface is not null)
                {
                    byte* outAddress = stackalloc byte[4];
                    IPAddress.Parse(options.OutInterface).TryWriteBytes(new Span<byte>(outAddress, 4), out _);
                    _ = LibC.setsockopt(fd, LibC.IPPROTO_IP, LibC.IP_MULTICAST_IF, outAddress, 4);
                }
            }
            else
            {
                // struct ipv6_mreq { ipv6mr_multiaddr; ipv6mr_interface }.
                int inIndex = options.InInterface is null ? 0 : GetInterfaceIndex(socket, options.InInterface);
                if (options.InInterface is null || inIndex != 0)
                {
                    byte* membership = stackalloc byte[20];
                    group.TryWriteBytes(new Span<byte>(membership, 16), out _);
                    *(int*)(membership + 16) = inIndex;
                    joined = LibC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_ADD_MEMBERSHIP, membership, 20) == 0;
                }

                int outIndex = options.OutInterface is null ? 0 : GetInterfaceIndex(socket, options.OutInterface);
                if (outIndex != 0)
                {
                    _ = LibC.setsockopt(fd, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF, &outIndex, sizeof(int));
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed while stopping: nothing to refresh.
        }
        finally
        {
            if (added)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }

        return joined;
    }

    /// <summary>
    /// if_nametoindex, asked through the socket itself (SIOCGIFINDEX) so the answer comes from the socket's own
    /// network namespace whatever thread asks. 0 when there is no such interface.
    /// </summary>
    public static unsafe int GetInterfaceIndex(Socket socket, string name)
    {
        byte* request = stackalloc byte[InterfaceRequestSize];
        new Span<byte>(request, InterfaceRequestSize).Clear();
        if (Encoding.UTF8.GetByteCount(name) >= InterfaceNameSize)
        {
            return 0;
        }

        Encoding.UTF8.GetBytes(name, new Span<byte>(request, InterfaceNameSize - 1));
        bool added = false;
        try
        {
            socket.SafeHandle.DangerousAddRef(ref added);
            int fd = (int)socket.SafeHandle.DangerousGetHandle();
            return LibC.ioctl(fd, LibC.SIOCGIFINDEX, request) == 0 ? *(int*)(request + InterfaceNameSize) : 0;
        }
        finally
        {
            if (added)
            {
                socket.SafeHandle.DangerousRelease();
            }
        }
    }

    /// <summary>An interface- or link-local IPv6 group (ff01::/16, ff02::/16) without a zone: the kernel cannot bind it.</summary>
    private static bool NeedsScope(IPAddress group) =>
        group.AddressFamily == AddressFamily.InterNetworkV6 && group.ScopeId == 0 && (group.GetAddressBytes()[1] & 0x0F) is 1 or 2;

    private static void ConfigureIPv4(Socket socket, MulticastOptions options, IPAddress group, string where)
    {
        try
        {
            JoinIPv4(socket, group, options.InInterface);
        }
        catch (SocketException e) when (options.InInterface is not null)
        {
            throw new JooldConfigException(
                $"{options.Source}: '{MulticastOptions.InInterfaceKey}' is \"{options.InInterface}\", but joining {group} on it failed ({e.Message}): no interface in this network namespace has that IPv4 address.");
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"{where}: IP_ADD_MEMBERSHIP failed: {e.Message}", e);
        }

        // Hear only the groups this socket joined, on the interface it joined them on; not every group some other
        // program joined on this port.
        Step(where, "IP_MULTICAST_ALL", () => SetInt(socket, LibC.IPPROTO_IP, LibC.IP_MULTICAST_ALL, 0));
        Step(where, "IP_MULTICAST_LOOP", () => socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, false));
        Step(where, "IP_MULTICAST_TTL", () => socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, options.Ttl));
        if (options.OutInterface is not null)
        {
            try
            {
                SetIPv4OutInterface(socket, IPAddress.Parse(options.OutInterface));
            }
            catch (SocketException e)
            {
                throw new JooldConfigException(
                    $"{options.Source}: '{MulticastOptions.OutInterfaceKey}' is \"{options.OutInterface}\", but IP_MULTICAST_IF refused it ({e.Message}): no interface in this network namespace has that IPv4 address.");
            }
        }
    }

    private static void ConfigureIPv6(Socket socket, MulticastOptions options, IPAddress group, string where)
    {
        int inIndex = options.InInterface is null ? 0 : RequireInterfaceIndex(socket, options, MulticastOptions.InInterfaceKey, options.InInterface);
        int outIndex = options.OutInterface is null ? 0 : RequireInterfaceIndex(socket, options, MulticastOptions.OutInterfaceKey, options.OutInterface);
        Step(where, "IPV6_ADD_MEMBERSHIP", () => socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(group, inIndex)));
        Step(where, "IPV6_MULTICAST_LOOP", () => socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, false));
        Step(where, "IPV6_MULTICAST_HOPS", () => socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, options.Ttl));
        if (options.OutInterface is not null)
        {
            Step(where, "IPV6_MULTICAST_IF", () => socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, outIndex));
        }
    }

    private static int RequireInterfaceIndex(Socket socket, MulticastOptions options, string key, string name)
    {
        int index = GetInterfaceIndex(socket, name);
        return index != 0
            ? index
            : throw new JooldConfigException($"{options.Source}: '{key}' is \"{name}\", but there is no interface with that name in this network namespace.");
    }

    private static void JoinIPv4(Socket socket, IPAddress group, string? inInterface)
    {
        var local = inInterface is null ? IPAddress.Any : IPAddress.Parse(inInterface);
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, local));
    }

    /// <summary>IP_MULTICAST_IF with a plain struct in_addr, as C joold passes it (the kernel finds the device by address).</summary>
    private static void SetIPv4OutInterface(Socket socket, IPAddress address)
    {
        Span<byte> inAddr = stackalloc byte[4];
        address.TryWriteBytes(inAddr, out _);
        socket.SetRawSocketOption(LibC.IPPROTO_IP, LibC.IP_MULTICAST_IF, inAddr);
    }

    internal static void SetInt(Socket socket, int level, int option, int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(bytes, value);
        socket.SetRawSocketOption(level, option, bytes);
    }

    private static void Step(string where, string step, Action action)
    {
        try
        {
            action();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"{where}: {step} failed: {e.Message}", e);
        }
    }
}
