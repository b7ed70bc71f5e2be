using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Joold.Configuration;

namespace Joold.Sockets;

/// <summary>
/// Endpoints as settings and messages write them: "a.b.c.d:port" and "[v6]:port". Parsing is strict: the port is
/// required, and a bare IPv6 address is refused because its last group could be read as a port.
/// </summary>
public static class EndPointText
{
    /// <summary>What an endpoint setting must look like, for error messages.</summary>
    public const string Expected = "an IP address and port such as \"127.0.0.1:7000\" or \"[::1]:7000\"";

    /// <summary>"host:port", with the host in brackets when it is an IPv6 address (it holds colons).</summary>
    public static string Format(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
    }

    /// <summary>Parses "a.b.c.d:port" or "[v6]:port"; the port may be 0.</summary>
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
        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        var portText = text.AsSpan(colon + 1);
        if (!(PortText.TryParse(portText, out int port) || portText.SequenceEqual("0")) || !IPAddress.TryParse(host, out var address))
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

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>
    /// Parses the endpoint setting <paramref name="key"/> of <paramref name="source"/>; a bad value throws one line
    /// naming both. Port 0 (a port the kernel picks) is accepted only when <paramref name="allowPortZero"/>.
    /// </summary>
    public static IPEndPoint Parse(string source, string key, string text, bool allowPortZero = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var endPoint) && (allowPortZero || endPoint.Port != 0)
            ? endPoint
            : throw new JooldConfigException(source, key, $"\"{text}\"", allowPortZero ? Expected : $"{Expected}, with a port from 1 to 65535");
    }
}
