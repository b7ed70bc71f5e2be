namespace Joold.Sessions;

/// <summary>Jool's transport protocol numbers (<c>src/common/types.h</c>); 2 bits on the wire.</summary>
public enum L4Protocol : byte
{
    /// <summary>TCP: the session has a state (<see cref="TcpState"/>) and a timer (<see cref="SessionTimer"/>).</summary>
    Tcp = 0,

    /// <summary>UDP.</summary>
    Udp = 1,

    /// <summary>ICMP (echo): the ports are the ICMP identifiers.</summary>
    Icmp = 2,

    /// <summary>Never valid in a synchronized session: the kernel rejects it as "Unknown protocol".</summary>
    Other = 3,
}
