namespace Joold.Sessions;

/// <summary>Which expiry list the session lives on; value 3 is rejected by the kernel.</summary>
public enum SessionTimer : byte
{
    Established = 0,
    Transitory = 1,
    Syn4 = 2,
}
