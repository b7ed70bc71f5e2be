using System.Globalization;
using System.Net;
using System.Text;

namespace Joold.Sessions;

/// <summary>
/// The text <c>jool session follow</c> prints for one session (spec section 9):
/// <c>PROTO,src6,port,src4,port,dst4,port,H:MM:SS[.mmm]</c>.
/// </summary>
public static class FollowLine
{
    /// <summary>The line for <paramref name="session"/>, without a line break.</summary>
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
    /// An IPv6 address exactly as glibc's inet_ntop writes it, which <c>jool session follow</c> prints. .NET's own
    /// text differs for embedded IPv4 forms (it writes ::ffff:0:1.2.3.4, glibc ::ffff:0:102:304, and the reverse
    /// for ::ffff:0.0.0.1), so the algorithm is spelled out: compress the first longest run of two or more zero
    /// words, and write the last 32 bits dotted only after six zero words, or five and ffff.
    /// </summary>
    public static string FormatIPv6(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written) || written != 16)
        {
            return address.ToString();
        }

        Span<ushort> words = stackalloc ushort[8];
        for (int i = 0; i < 8; i++)
        {
            words[i] = (ushort)((bytes[2 * i] << 8) | bytes[(2 * i) + 1]);
        }

        var (bestBase, bestLength) = LongestZeroRun(words);
        var text = new StringBuilder(46);
        for (int i = 0; i < 8; i++)
        {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength)
            {
                if (i == bestBase)
                {
                    text.Append(':');
                }

                continue;
            }

            if (i != 0)
            {
                text.Append(':');
            }

            if (i == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff)))
            {
                text.Append(CultureInfo.InvariantCulture, $"{bytes[12]}.{bytes[13]}.{bytes[14]}.{bytes[15]}");
                return text.ToString();
            }

            text.Append(CultureInfo.InvariantCulture, $"{words[i]:x}");
        }

        if (bestBase >= 0 && bestBase + bestLength == 8)
        {
            text.Append(':');
        }

        return text.ToString();
    }

    private static (int Base, int Length) LongestZeroRun(ReadOnlySpan<ushort> words)
    {
        int bestBase = -1, bestLength = 0, runBase = -1, runLength = 0;
        for (int i = 0; i <= words.Length; i++)
        {
            if (i < words.Length && words[i] == 0)
            {
                runBase = runLength == 0 ? i : runBase;
                runLength++;
                continue;
            }

            if (runLength > bestLength)
            {
                (bestBase, bestLength) = (runBase, runLength);
            }

            runLength = 0;
        }

        return bestLength >= 2 ? (bestBase, bestLength) : (-1, 0);
    }

    private static string ProtocolName(L4Protocol protocol) => protocol switch
    {
        L4Protocol.Tcp => "TCP",
        L4Protocol.Udp => "UDP",
        L4Protocol.Icmp => "ICMP",
        _ => "unknown",
    };
}
