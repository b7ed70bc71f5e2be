namespace Joold.Sessions;

/// <summary>Jool's TCP state machine states (<c>src/common/session.h</c>); UDP and ICMP sessions use 0.</summary>
public enum TcpState : byte
{
    Established = 0,
    V6Init = 1,
    V4Init = 2,
    V4FinRcv = 3,
    V6FinRcv = 4,
    V4FinV6FinRcv = 5,
    Trans = 6,
}
