using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Joold.Sockets;
using Tmds.Linux;
using static Joold.Netlink.Interop.Netlink;
using static Tmds.Linux.LibC;

namespace Joold.Netlink;

/// <summary>
/// A raw <c>AF_NETLINK</c> socket. The fd comes from <c>socket(2)</c> through Tmds.LibC (the BCL cannot create
/// netlink sockets) and is then owned by a <see cref="Socket"/>, which closes the fd on dispose. Receives run on a
/// thread of the socket's own (<see cref="ReceiveThread"/>); sends never block.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(32);

    private readonly Socket _socket;
    private readonly ReceiveThread _receiver;

    private NetlinkSocket(Socket socket, uint portId)
    {
        _socket = socket;
        PortId = portId;
        _receiver = new ReceiveThread(socket.SafeHandle, "Joold netlink", new SelfInterrupt(this));
    }

    /// <summary>The port id the kernel gave this socket (or the one asked for at open).</summary>
    public uint PortId { get; }

    /// <summary>The fd, for setsockopt calls the BCL does not know.</summary>
    private int Fd => (int)_socket.SafeHandle.DangerousGetHandle();

    /// <summary>Opens and binds a socket of <paramref name="protocol"/>; port id 0 lets the kernel pick one.</summary>
    /// <exception cref="SocketException">socket(2) or bind(2) failed; the message says which and why.</exception>
    public static unsafe NetlinkSocket Open(int protocol = NETLINK_GENERIC, uint portId = 0)
    {
        int fd = socket((int)AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw Error("socket(AF_NETLINK)", errno);
        }

        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            var address = new Interop.sockaddr_nl { nl_family = (ushort)AF_NETLINK, nl_pid = portId };
            if (bind(fd, (sockaddr*)&address, (socklen_t)sizeof(Interop.sockaddr_nl)) != 0)
            {
                int error = errno;
                throw error == EADDRINUSE
                    ? new SocketException(error, $"Netlink port id {portId} is already taken by another socket.")
                    : Error($"bind(netlink port id {portId})", error);
            }

            socklen_t length = (socklen_t)sizeof(Interop.sockaddr_nl);
            if (getsockname(fd, (sockaddr*)&address, &length) != 0)
            {
                throw Error("getsockname(netlink)", errno);
            }

            return new NetlinkSocket(new Socket(handle), address.nl_pid);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Joins a multicast group by id (any id, not only 1-32).</summary>
    public unsafe void JoinGroup(uint group)
    {
        if (setsockopt(Fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof(uint)) != 0)
        {
            throw Error($"joining netlink multicast group {group}", errno);
        }
    }

    /// <summary>
    /// Whether the socket is in multicast group <paramref name="group"/> now (NETLINK_LIST_MEMBERSHIPS). The kernel
    /// takes every socket out of a generic netlink family's groups when the family goes (its module is unloaded),
    /// so a socket that joined once is not necessarily still in.
    /// </summary>
    public unsafe bool IsMember(uint group)
    {
        const int Words = 256; // 8192 groups; generic netlink gives out far fewer.
        uint* bitmap = stackalloc uint[Words];
        socklen_t length = (socklen_t)(Words * sizeof(uint));
        if (getsockopt(Fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, bitmap, &length) != 0)
        {
            throw Error("listing netlink multicast memberships", errno);
        }

        uint bit = group - 1;
        return group != 0 && bit / 32 < Math.Min((uint)length / sizeof(uint), Words) && (bitmap[bit / 32] & (1u << (int)(bit % 32))) != 0;
    }

    /// <summary>Leaves a multicast group; errors are ignored (the group may not have been joined).</summary>
    public unsafe void LeaveGroup(uint group) => _ = setsockopt(Fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, &group, sizeof(uint));

    /// <summary>
    /// Sets the receive buffer as every Joold socket sets it (<see cref="SocketBuffers.SetReceiveBuffer"/>):
    /// SO_RCVBUFFORCE first (root may exceed rmem_max), SO_RCVBUF when that is refused.
    /// </summary>
    /// <exception cref="SocketException">Neither option was accepted.</exception>
    public SocketBufferSize SetReceiveBuffer(int bytes) => SocketBuffers.SetReceiveBuffer(_socket.SafeHandle, bytes);

    /// <summary>
    /// Sends one datagram now, without ever blocking: the result is <see cref="SocketError.WouldBlock"/> when the
    /// destination's receive queue is full. Returns the error instead of throwing, so callers on the hot path (ACK,
    /// JOOLD_ADD) can log and go on. Allocates nothing.
    /// </summary>
    /// <remarks>
    /// Calls sendto(2) with MSG_DONTWAIT directly. Only a user-space destination (a fake kernel) ever has a full
    /// queue; the kernel handles requests synchronously. A netlink unicast to a full user-space socket fails with
    /// EAGAIN without ever making the sender writable again, so waiting for writability would stall: see
    /// <see cref="SendToAsync"/> for retrying on a clock instead.
    /// </remarks>
    public SocketError SendTo(ReadOnlySpan<byte> message, SocketAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ReadOnlySpan<byte> address = destination.Buffer.Span[..destination.Size];

        // The reference keeps the fd from being closed (and its number reused) during the call.
        var handle = _socket.SafeHandle;
        bool referenced = false;
        try
        {
            handle.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            return SocketError.OperationAborted;
        }

        try
        {
            return SendTo((int)handle.DangerousGetHandle(), message, address);
        }
        finally
        {
            if (referenced)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Sends one datagram without blocking a thread: at once when the destination has room (then the task is
    /// already complete and nothing is allocated), otherwise retried on <paramref name="time"/>'s clock, 1 ms
    /// after the first refusal and then at doubling intervals up to 32 ms, until it goes through or
    /// <paramref name="giveUpAfter"/> has passed. Returns <see cref="SocketError.WouldBlock"/> when it gave up,
    /// another error at the first one that is not EAGAIN. <paramref name="message"/> must stay untouched until
    /// the task completes.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting to retry.</exception>
    public ValueTask<SocketError> SendToAsync(
        ReadOnlyMemory<byte> message,
        SocketAddress destination,
        TimeSpan giveUpAfter,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var result = SendTo(message.Span, destination);
        return result == SocketError.WouldBlock && giveUpAfter > TimeSpan.Zero
            ? RetrySendToAsync(message, destination, giveUpAfter, time, cancellationToken)
            : new ValueTask<SocketError>(result);
    }

    private async ValueTask<SocketError> RetrySendToAsync(
        ReadOnlyMemory<byte> message,
        SocketAddress destination,
        TimeSpan giveUpAfter,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        var delay = FirstRetryDelay;
        while (true)
        {
            var left = giveUpAfter - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return SocketError.WouldBlock;
            }

            await Task.Delay(delay < left ? delay : left, time, cancellationToken).ConfigureAwait(false);
            var result = SendTo(message.Span, destination);
            if (result != SocketError.WouldBlock)
            {
                return result;
            }

            delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
        }
    }

    private static unsafe SocketError SendTo(int fd, ReadOnlySpan<byte> message, ReadOnlySpan<byte> address)
    {
        fixed (byte* data = message)
        fixed (byte* to = address)
        {
            while (true)
            {
                ssize_t sent = sendto(fd, data, (size_t)message.Length, MSG_DONTWAIT | MSG_NOSIGNAL, (sockaddr*)to, (socklen_t)address.Length);
                if (sent >= 0)
                {
                    return SocketError.Success;
                }

                int error = errno;
                if (error != EINTR)
                {
                    return ToSocketError(error);
                }
            }
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/>. <paramref name="sender"/> is reused across calls and
    /// receives the sender's address. ENOBUFS (an overrun) surfaces as a <see cref="SocketException"/> with
    /// <see cref="SocketError.NoBufferSpaceAvailable"/>.
    /// </summary>
    /// <remarks>
    /// Served by a thread of the socket's own (<see cref="ReceiveThread"/>), on which the caller's continuation
    /// runs: it blocks in recvfrom, as C joold does, so a datagram costs one system call and no wake-up of another
    /// thread. Cancelling sends the socket an NLMSG_NOOP of its own, which is never returned.
    /// </remarks>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, SocketAddress sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        sender.Size = NetlinkAddress.ReceiveSize;
        return _receiver.ReceiveAsync(buffer, sender, cancellationToken);
    }

    /// <summary>Closes the socket; a pending <see cref="ReceiveAsync"/> ends with an exception.</summary>
    public void Dispose()
    {
        _receiver.Dispose();
        _socket.Dispose();
    }

    private static SocketException Error(string what, int error) =>
        new((int)ToSocketError(error), $"{what} failed: {Marshal.GetPInvokeErrorMessage(error)} (errno {error}).");

    /// <summary>The errno values netlink sends and binds report, as the BCL names them.</summary>
    private static SocketError ToSocketError(int error) => error switch
    {
        _ when error == ECONNREFUSED => SocketError.ConnectionRefused,
        _ when error == EAGAIN => SocketError.WouldBlock,
        _ when error == ENOBUFS => SocketError.NoBufferSpaceAvailable,
        _ when error == EPERM || error == EACCES => SocketError.AccessDenied,
        _ when error == EMSGSIZE => SocketError.MessageSize,
        _ when error == EADDRINUSE => SocketError.AddressAlreadyInUse,
        _ when error == EINVAL => SocketError.InvalidArgument,
        _ when error == EBADF => SocketError.OperationAborted,
        _ => SocketError.SocketError,
    };
}
