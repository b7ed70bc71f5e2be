using System.Net;
using Joold.Configuration;

namespace Joold.Plugins.Prometheus;

/// <summary>Where the metrics endpoint listens: <c>"Prometheus": {"listen": "127.0.0.1:9464"}</c>.</summary>
public sealed class PrometheusOptions
{
    /// <summary>The key of the listening endpoint.</summary>
    public const string ListenKey = "listen";

    /// <summary>Loopback and the port registered for Prometheus exporters of this kind.</summary>
    public static readonly IPEndPoint DefaultListen = new(IPAddress.Loopback, 9464);

    /// <summary>The TCP endpoint; "[::]:9464" listens on every IPv6 and IPv4 address.</summary>
    public IPEndPoint Listen { get; init; } = DefaultListen;

    /// <summary>Reads the plugin's section: "listen" is "ADDRESS:PORT" or "[IPV6]:PORT" (port 0 is for tests).</summary>
    public static PrometheusOptions FromSection(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string? text = section.GetString(ListenKey, null);
        if (text is null)
        {
            return new PrometheusOptions();
        }

        if (!IPEndPoint.TryParse(text, out var endPoint) || !HasPort(text))
        {
            throw new JooldConfigException(section.Source, ListenKey, $"\"{text}\"", "an address and port such as \"127.0.0.1:9464\" or \"[::]:9464\"");
        }

        return new PrometheusOptions { Listen = endPoint };
    }

    // IPEndPoint.TryParse takes a bare address as port 0; a listening endpoint needs its port spelled out.
    private static bool HasPort(string text) =>
        text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;
}
