namespace Joold.Sessions;

/// <summary>Jool's transport protocol numbers (<c>src/common/types.h</c>); 2 bits on the wire.</summary>
public enum L4Protocol : byte
{
    Tcp = 0,
    Udp = 1,
    Icmp = 2,

    /// <summary>Never valid in a synchronized session: the kernel rejects it as "Unknown protocol".</summary>
    Other = 3,
}
