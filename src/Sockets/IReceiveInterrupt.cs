using System.Net;

namespace Joold.Sockets;

/// <summary>
/// How to end a recvfrom(2) that blocks on a socket, for a <see cref="ReceiveThread"/> that waits in recvfrom itself
/// instead of in ppoll(2) (one system call a datagram instead of two). A netlink socket, which shutdown(2) does not
/// interrupt, sends itself a datagram, and tells it apart from real ones by its sender; a UDP socket is shut down for
/// reading (<see cref="ShutdownInterrupt"/>).
/// </summary>
public interface IReceiveInterrupt
{
    /// <summary>Makes a blocked receive on the socket return; called from any thread, must not block or throw.</summary>
    void Interrupt();

    /// <summary>True when a received datagram is one that <see cref="Interrupt"/> sent: it is dropped.</summary>
    bool IsInterrupt(ReadOnlySpan<byte> datagram, SocketAddress? sender);

    /// <summary>
    /// True when an interrupted socket cannot block in a receive again (shutdown(2)): a receive that finds it so
    /// while not stopping ends as closed instead of spinning.
    /// </summary>
    bool EndsReceiving => false;
}
