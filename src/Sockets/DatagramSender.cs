using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Joold.Sockets;

/// <summary>
/// Sends on a UDP socket without switching its fd to non-blocking mode, so that its <see cref="DatagramReceiver"/>
/// can block in recvfrom(2): the runtime's asynchronous send would switch it for good. One sendto(2) with
/// MSG_DONTWAIT; only when the send buffer is full does it fall back to the runtime's asynchronous send (which then
/// switches the fd, and the receiver goes back to waiting in ppoll). Allocates nothing while sends succeed.
/// </summary>
public static class DatagramSender
{
    /// <summary>
    /// Sends <paramref name="datagram"/> to <paramref name="destination"/> and returns the bytes the socket took,
    /// as <see cref="Socket.SendToAsync(ReadOnlyMemory{byte}, SocketFlags, SocketAddress, CancellationToken)"/> does.
    /// </summary>
    /// <exception cref="SocketException">The send failed.</exception>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public static ValueTask<int> SendToAsync(Socket socket, ReadOnlyMemory<byte> datagram, SocketAddress destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(destination);
        int error = TrySend(socket.SafeHandle, datagram.Span, destination, out int sent);
        return error switch
        {
            0 => new ValueTask<int>(sent),
            _ when error == LibC.EAGAIN => socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken),
            _ => ValueTask.FromException<int>(SocketErrors.From(error, "sendto")),
        };
    }

    /// <summary>
    /// One sendto(2) with MSG_DONTWAIT to <paramref name="destination"/>, or to the connected peer when null; 0 or
    /// the errno (EAGAIN: the send buffer is full). <paramref name="sent"/> is what the socket took. Allocates nothing.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The socket is closed.</exception>
    public static unsafe int TrySend(SafeHandle socket, ReadOnlySpan<byte> datagram, SocketAddress? destination, out int sent)
    {
        ArgumentNullException.ThrowIfNull(socket);
        sent = 0;
        bool added = false;
        try
        {
            // The reference keeps the fd from being closed (and its number reused) during the call.
            socket.DangerousAddRef(ref added);
            ReadOnlySpan<byte> address = destination is null ? default : destination.Buffer.Span[..destination.Size];
            fixed (byte* data = datagram)
            fixed (byte* to = address)
            {
                while (true)
                {
                    ssize_t result = LibC.sendto((int)socket.DangerousGetHandle(), data, (size_t)datagram.Length, LibC.MSG_DONTWAIT | LibC.MSG_NOSIGNAL, (sockaddr*)to, (socklen_t)address.Length);
                    if (result >= 0)
                    {
                        sent = (int)result;
                        return 0;
                    }

                    int error = LibC.errno;
                    if (error != LibC.EINTR)
                    {
                        return error;
                    }
                }
            }
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }
}
