using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Joold.Sockets;

/// <summary>
/// Socket buffer sizes, set the one way every Joold socket sets them: the *BUFFORCE option first (as root it may go
/// past net.core.[rw]mem_max), the plain option when that is refused. Works on any socket fd, netlink included.
/// </summary>
public static class SocketBuffers
{
    /// <summary>SO_RCVBUFFORCE, else SO_RCVBUF; returns what the kernel applied.</summary>
    /// <exception cref="SocketException">Neither option was accepted (not a socket, or closed under the call).</exception>
    public static SocketBufferSize SetReceiveBuffer(SafeHandle socket, int bytes) =>
        Set(socket, LibC.SO_RCVBUFFORCE, LibC.SO_RCVBUF, bytes, "SO_RCVBUF");

    /// <summary>SO_SNDBUFFORCE, else SO_SNDBUF; returns what the kernel applied.</summary>
    /// <exception cref="SocketException">Neither option was accepted.</exception>
    public static SocketBufferSize SetSendBuffer(SafeHandle socket, int bytes) =>
        Set(socket, LibC.SO_SNDBUFFORCE, LibC.SO_SNDBUF, bytes, "SO_SNDBUF");

    /// <summary>SO_RCVBUF as the kernel reports it (twice the room the socket has).</summary>
    public static int GetReceiveBuffer(SafeHandle socket) => Get(socket, LibC.SO_RCVBUF, "SO_RCVBUF");

    /// <summary>SO_SNDBUF as the kernel reports it.</summary>
    public static int GetSendBuffer(SafeHandle socket) => Get(socket, LibC.SO_SNDBUF, "SO_SNDBUF");

    private static unsafe SocketBufferSize Set(SafeHandle socket, int forceOption, int option, int bytes, string name)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        bool added = false;
        try
        {
            // The reference keeps the fd from being closed (and its number reused) during the calls.
            socket.DangerousAddRef(ref added);
            int fd = (int)socket.DangerousGetHandle();
            bool forced = LibC.setsockopt(fd, LibC.SOL_SOCKET, forceOption, &bytes, sizeof(int)) == 0;
            if (!forced)
            {
                int error = LibC.errno;
                if (error != LibC.EPERM || LibC.setsockopt(fd, LibC.SOL_SOCKET, option, &bytes, sizeof(int)) != 0)
                {
                    throw SocketErrors.From(error == LibC.EPERM ? LibC.errno : error, $"setting {name} to {bytes} bytes");
                }
            }

            return new SocketBufferSize(bytes, Read(fd, option, name), forced);
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    private static int Get(SafeHandle socket, int option, string name)
    {
        ArgumentNullException.ThrowIfNull(socket);
        bool added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            return Read((int)socket.DangerousGetHandle(), option, name);
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    private static unsafe int Read(int fd, int option, string name)
    {
        int value = 0;
        socklen_t length = sizeof(int);
        return LibC.getsockopt(fd, LibC.SOL_SOCKET, option, &value, &length) == 0
            ? value
            : throw SocketErrors.From(LibC.errno, $"reading {name}");
    }
}
