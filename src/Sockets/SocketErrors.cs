using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Joold.Sockets;

/// <summary>errno from a raw socket call, as the <see cref="SocketException"/> the BCL would throw for it.</summary>
internal static class SocketErrors
{
    public static SocketException From(int errno, string what) =>
        new((int)ToSocketError(errno), $"{what} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");

    private static SocketError ToSocketError(int errno) => errno switch
    {
        _ when errno == LibC.EPERM || errno == LibC.EACCES => SocketError.AccessDenied,
        _ when errno == LibC.EINVAL => SocketError.InvalidArgument,
        _ when errno == LibC.EBADF || errno == LibC.ENOTSOCK => SocketError.NotSocket,
        _ when errno == LibC.ENOBUFS || errno == LibC.ENOMEM => SocketError.NoBufferSpaceAvailable,
        _ when errno == LibC.ENOPROTOOPT => SocketError.ProtocolOption,
        _ when errno == LibC.ECONNREFUSED => SocketError.ConnectionRefused,
        _ when errno == LibC.ECONNRESET => SocketError.ConnectionReset,
        _ when errno == LibC.EHOSTUNREACH => SocketError.HostUnreachable,
        _ when errno == LibC.ENETUNREACH => SocketError.NetworkUnreachable,
        _ when errno == LibC.EMSGSIZE => SocketError.MessageSize,
        _ when errno == LibC.EAGAIN => SocketError.WouldBlock,
        _ when errno == LibC.EINTR => SocketError.Interrupted,
        _ => SocketError.SocketError,
    };
}
