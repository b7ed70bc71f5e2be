namespace Joold.Sessions;

/// <summary>Which expiry list the session lives on; value 3 is rejected by the kernel.</summary>
public enum SessionTimer : byte
{
    /// <summary>SESSION_TIMER_EST: an established session (TCP's long timeout; UDP and ICMP use only this).</summary>
    Established = 0,

    /// <summary>SESSION_TIMER_TRANS: a TCP session opening or closing (the transitory timeout).</summary>
    Transitory = 1,

    /// <summary>SESSION_TIMER_SYN4: a TCP session an IPv4 SYN opened, waiting for the IPv6 side.</summary>
    Syn4 = 2,
}
