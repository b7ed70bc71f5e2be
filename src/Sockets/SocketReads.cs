using System.Net;
using Tmds.Linux;

namespace Joold.Sockets;

/// <summary>The receive calls of <see cref="ReceiveThread"/>, on a raw fd.</summary>
internal static class SocketReads
{
    /// <summary>One recvfrom(2), or one recvmmsg(2) into <paramref name="batch"/>; 0 or the errno.</summary>
    public static int Read(int fd, Memory<byte> buffer, SocketAddress? sender, DatagramBatch? batch, int flags, out int length) =>
        batch is null ? ReceiveFrom(fd, buffer.Span, sender, flags, out length) : batch.Receive(fd, flags, out length);

    /// <summary>One recvfrom(2); 0 or the errno.</summary>
    public static unsafe int ReceiveFrom(int fd, Span<byte> buffer, SocketAddress? sender, int flags, out int length)
    {
        Span<byte> address = sender is null ? default : sender.Buffer.Span;
        fixed (byte* data = buffer)
        fixed (byte* from = address)
        {
            socklen_t addressLength = (socklen_t)address.Length;
            ssize_t received = LibC.recvfrom(fd, data, (size_t)buffer.Length, flags, (sockaddr*)from, from is null ? null : &addressLength);
            if (received < 0)
            {
                length = 0;
                return LibC.errno;
            }

            length = (int)received;
            if (sender is not null)
            {
                sender.Size = (int)addressLength;
            }

            return 0;
        }
    }
}
