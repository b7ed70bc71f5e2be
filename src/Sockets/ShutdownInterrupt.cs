using System.Net;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Joold.Sockets;

/// <summary>
/// Ends a blocking recvfrom(2) on a UDP socket with shutdown(SHUT_RD): Linux wakes the receiver, which reads end of
/// file (0 bytes, no sender), even on an unbound-peer socket (the call itself then fails with ENOTCONN, which is
/// expected). Nothing is sent, so no other socket on the host sees anything, and sending on the socket still works.
/// The socket no longer blocks in a receive afterwards, so this ends receiving for good: a stop, not a pause.
/// </summary>
public sealed class ShutdownInterrupt(SafeHandle socket) : IReceiveInterrupt
{
    /// <inheritdoc/>
    public bool EndsReceiving => true;

    /// <inheritdoc/>
    public void Interrupt()
    {
        bool added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            _ = LibC.shutdown((int)socket.DangerousGetHandle(), LibC.SHUT_RD);
        }
        catch (ObjectDisposedException)
        {
            // Closed already: the runtime's close shut it down, which woke the receiver.
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// End of file: no bytes and no sender. A real datagram, even an empty one, always has a sender on a UDP socket,
    /// so this also recognises a socket shut down by an earlier stop or by the runtime's close.
    /// </summary>
    public bool IsInterrupt(ReadOnlySpan<byte> datagram, SocketAddress? sender) => datagram.IsEmpty && (sender is null || sender.Size == 0);
}
