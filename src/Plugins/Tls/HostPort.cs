using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Joold.Plugins.Tls;

/// <summary>
/// A peer's "host:port": a DNS name, a dotted IPv4 address or a bracketed IPv6 address, and a port from 1 to
/// 65535. The host is what the peer's certificate must name (a DNS or IP subject alternative name).
/// </summary>
public sealed record HostPort(string Host, int Port)
{
    /// <summary>The host as an address when it is a literal, else null (a DNS name, resolved at each dial).</summary>
    public IPAddress? Address { get; } = IPAddress.TryParse(Host, out var address) && IsLiteral(Host) ? address : null;

    /// <summary>Parses strictly: the port is required, a bare IPv6 address is refused (its last group reads as a port).</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out HostPort? result) => TryParse(text, allowPortZero: false, out result);

    /// <summary>As <see cref="TryParse(string, out HostPort?)"/>; port 0 ("any free port") only when allowed.</summary>
    public static bool TryParse(string text, bool allowPortZero, [NotNullWhen(true)] out HostPort? result)
    {
        ArgumentNullException.ThrowIfNull(text);
        result = null;
        int colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        string host = text[..colon];
        string port = text[(colon + 1)..];
        if (port.Length is 0 or > 5
            || !port.All(char.IsAsciiDigit)
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number)
            || number > IPEndPoint.MaxPort
            || (number == 0 && !allowPortZero))
        {
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || host.Contains('%', StringComparison.Ordinal))
            {
                return false;
            }

            result = new HostPort(v6.ToString(), number);
            return true;
        }

        if (host.Contains(':', StringComparison.Ordinal) || !(IsDottedQuad(host) || IsDnsName(host)))
        {
            return false;
        }

        result = new HostPort(host.ToLowerInvariant(), number);
        return true;
    }

    /// <summary>"host:port", with IPv6 addresses in brackets.</summary>
    public override string ToString() => Address?.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    private static bool IsLiteral(string host) => host.Contains(':', StringComparison.Ordinal) || IsDottedQuad(host);

    /// <summary>Four decimal parts: "7000" or "10.1" are IPv4 to the resolver, but not what anyone means.</summary>
    private static bool IsDottedQuad(string host) =>
        host.Count(c => c == '.') == 3 && IPAddress.TryParse(host, out var address) && address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>Letters, digits and hyphens in labels of 1 to 63 characters, 253 at most, not all digits.</summary>
    private static bool IsDnsName(string host)
    {
        if (host.Length is 0 or > 253 || host.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return false;
        }

        foreach (string label in host.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
