namespace Joold.Sessions;

/// <summary>Jool's TCP state machine states (<c>src/common/session.h</c>); UDP and ICMP sessions use 0.</summary>
public enum TcpState : byte
{
    /// <summary>ESTABLISHED: the connection is open (also the value of every UDP and ICMP session).</summary>
    Established = 0,

    /// <summary>V6_INIT: the IPv6 side sent a SYN.</summary>
    V6Init = 1,

    /// <summary>V4_INIT: the IPv4 side sent a SYN.</summary>
    V4Init = 2,

    /// <summary>V4_FIN_RCV: the IPv4 side sent a FIN.</summary>
    V4FinRcv = 3,

    /// <summary>V6_FIN_RCV: the IPv6 side sent a FIN.</summary>
    V6FinRcv = 4,

    /// <summary>V4_FIN_V6_FIN_RCV: both sides sent a FIN.</summary>
    V4FinV6FinRcv = 5,

    /// <summary>TRANS: transitory, after a RST or an idle established session; soon removed.</summary>
    Trans = 6,
}
