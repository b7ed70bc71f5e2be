using System.Net;
using Joold.Sessions;

namespace Joold.Core.Tests.Sessions;

/// <summary>The session of spec section 3's worked example and its exact bytes.</summary>
internal static class WorkedExample
{
    public static readonly SessionEntry Session = new(
        Source6: IPAddress.Parse("2001:db8::8"),
        Source6Port: 60927,
        Source4: IPAddress.Parse("192.0.2.1"),
        Source4Port: 62806,
        Destination4: IPAddress.Parse("192.0.2.8"),
        Destination4Port: 1234,
        ExpirationMilliseconds: 299_028,
        Protocol: L4Protocol.Udp,
        State: TcpState.Established,
        Timer: SessionTimer.Established);

    /// <summary>The whole 40-byte attribute as a little-endian host sends it.</summary>
    public static byte[] Attribute => Convert.FromHexString(
        "28000100" + "20010db8000000000000000000000008" + "c0000201" + "c0000208"
        + "00049014" + "edff" + "f556" + "04d2" + "0020");

    /// <summary>The 36-byte session payload alone.</summary>
    public static byte[] Payload => Attribute[SessionContainer.AttributeHeaderSize..];
}
