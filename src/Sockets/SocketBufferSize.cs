namespace Joold.Sockets;

/// <summary>What became of a socket buffer request (see <see cref="SocketBuffers"/>).</summary>
/// <param name="Requested">The size asked for, in bytes.</param>
/// <param name="Reported">What the kernel reports afterwards (getsockopt): twice what it grants, the other half covering its bookkeeping.</param>
/// <param name="Forced">Whether the *BUFFORCE option was accepted (CAP_NET_ADMIN), so net.core.[rw]mem_max did not cap the size.</param>
public readonly record struct SocketBufferSize(int Requested, int Reported, bool Forced)
{
    /// <summary>The room the socket has for data: half of what the kernel reports.</summary>
    public int Granted => Reported / 2;

    /// <summary>Whether the socket got less than asked: without CAP_NET_ADMIN the size is capped at net.core.[rw]mem_max.</summary>
    public bool IsCapped => Granted < Requested;
}
