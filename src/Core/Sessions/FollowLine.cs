using System.Globalization;
using System.Net;

namespace Joold.Sessions;

/// <summary>
/// The text <c>jool session follow</c> prints for one session (spec section 9):
/// <c>PROTO,src6,port,src4,port,dst4,port,H:MM:SS[.mmm]</c>.
/// </summary>
public static class FollowLine
{
    public static string Format(in SessionEntry session) => string.Create(
        CultureInfo.InvariantCulture,
        $"{ProtocolName(session.Protocol)},{FormatIPv6(session.Source6)},{session.Source6Port},{session.Source4},{session.Source4Port},{session.Destination4},{session.Destination4Port},{FormatExpiration(session.ExpirationMilliseconds)}");

    /// <summary>Hours unbounded, minutes and seconds two digits, ".mmm" only when the milliseconds are not zero.</summary>
    public static string FormatExpiration(uint milliseconds)
    {
        uint ms = milliseconds % 1000;
        uint totalSeconds = milliseconds / 1000;
        uint seconds = totalSeconds % 60;
        uint minutes = totalSeconds / 60 % 60;
        uint hours = totalSeconds / 3600;
        return ms == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:D2}:{seconds:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:D2}:{seconds:D2}.{ms:D3}");
    }

    /// <summary>
    /// An IPv6 address as glibc's inet_ntop writes it. .NET agrees except for the embedded-IPv4 forms: inet_ntop
    /// writes the last 32 bits dotted after six zero words, or after five zero words and ffff.
    /// </summary>
    public static string FormatIPv6(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written) || written != 16)
        {
            return address.ToString();
        }

        bool fiveZeroWords = !bytes[..10].ContainsAnyExcept((byte)0);
        bool mapped = fiveZeroWords && bytes[10] == 0xff && bytes[11] == 0xff;
        bool compatible = fiveZeroWords && bytes[10] == 0 && bytes[11] == 0 && (bytes[12] != 0 || bytes[13] != 0);
        if (mapped || compatible)
        {
            return string.Create(CultureInfo.InvariantCulture, $"::{(mapped ? "ffff:" : "")}{bytes[12]}.{bytes[13]}.{bytes[14]}.{bytes[15]}");
        }

        return address.ToString();
    }

    private static string ProtocolName(L4Protocol protocol) => protocol switch
    {
        L4Protocol.Tcp => "TCP",
        L4Protocol.Udp => "UDP",
        L4Protocol.Icmp => "ICMP",
        _ => "unknown",
    };
}
