using System.Globalization;
using System.Net.Sockets;
using Joold.Sockets;
using Tmds.Linux;

namespace Joold.Plugins.Tests.Sockets;

public sealed class SocketBuffersTests
{
    private const int FourMiB = 4 * 1024 * 1024;

    private static int RmemMax => int.Parse(File.ReadAllText("/proc/sys/net/core/rmem_max"), CultureInfo.InvariantCulture);

    [Fact]
    public void As_root_the_size_is_forced_past_rmem_max()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        int requested = Math.Max(FourMiB, RmemMax * 2);

        var size = SocketBuffers.SetReceiveBuffer(socket.SafeHandle, requested);

        Assert.True(size.Forced);
        Assert.Equal(requested, size.Requested);
        Assert.Equal(2 * requested, size.Reported); // the kernel doubles it for its bookkeeping
        Assert.Equal(requested, size.Granted);
        Assert.False(size.IsCapped);
        Assert.Equal(2 * requested, SocketBuffers.GetReceiveBuffer(socket.SafeHandle));
    }

    [Fact]
    public async Task Without_CAP_NET_ADMIN_the_plain_option_is_used_and_capped_at_rmem_max()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        int rmemMax = RmemMax;

        var size = await ThreadCapabilities.RunWithoutNetAdminAsync(() => SocketBuffers.SetReceiveBuffer(socket.SafeHandle, rmemMax * 2));

        Assert.False(size.Forced);
        Assert.Equal(2 * rmemMax, size.Reported);
        Assert.True(size.IsCapped);
    }

    [Fact]
    public void The_send_buffer_is_set_the_same_way()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        var size = SocketBuffers.SetSendBuffer(socket.SafeHandle, FourMiB);

        Assert.True(size.Forced);
        Assert.Equal(2 * FourMiB, SocketBuffers.GetSendBuffer(socket.SafeHandle));
    }

    [Fact]
    public void A_netlink_socket_made_through_libc_takes_it_too()
    {
        const int NetlinkGeneric = 16;
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NetlinkGeneric);
        Assert.True(fd >= 0, $"socket(AF_NETLINK) failed: errno {LibC.errno}");
        using var handle = new SafeSocketHandle(fd, ownsHandle: true);

        var size = SocketBuffers.SetReceiveBuffer(handle, FourMiB);

        Assert.Equal(FourMiB, size.Granted);
    }

    [Fact]
    public void A_handle_that_is_no_socket_fails_with_the_option_and_the_reason()
    {
        using var file = File.OpenHandle("/dev/null");

        var error = Assert.Throws<SocketException>(() => SocketBuffers.SetReceiveBuffer(file, FourMiB));

        Assert.Equal(SocketError.NotSocket, error.SocketErrorCode);
        Assert.Contains("SO_RCVBUF", error.Message, StringComparison.Ordinal);
    }
}
