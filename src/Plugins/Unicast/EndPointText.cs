using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Joold.Plugins.Unicast;

/// <summary>
/// Parses "a.b.c.d:port" and "[v6]:port" strictly: the port is required, and a bare IPv6 address is refused
/// because its last group could be read as a port.
/// </summary>
public static class EndPointText
{
    public static bool TryParse(string text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        endPoint = null;
        int colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        string host = text[..colon];
        string port = text[(colon + 1)..];
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        if (port.Length is 0 or > 5
            || !port.All(char.IsAsciiDigit)
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            || number > IPEndPoint.MaxPort
            || !IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        // "[1.2.3.4]:7", "::1" without brackets and the short IPv4 forms ("7000" is 0.0.27.88) are not what the
        // user meant; refuse rather than guess.
        bool isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (bracketed != isV6 || (!isV6 && host.Count(c => c == '.') != 3))
        {
            return false;
        }

        endPoint = new IPEndPoint(address, number);
        return true;
    }
}
