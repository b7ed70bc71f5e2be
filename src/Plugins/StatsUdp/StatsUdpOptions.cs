using Joold.Configuration;
using Joold.Sockets;

namespace Joold.Plugins.StatsUdp;

/// <summary>Where the stats server listens: C joold's <c>--stats.address</c> and <c>--stats.port</c>.</summary>
public sealed class StatsUdpOptions
{
    /// <summary>The key of the address, as in the legacy configuration.</summary>
    public const string AddressKey = "address";

    /// <summary>The key of the port.</summary>
    public const string PortKey = "port";

    /// <summary>C joold's default address: every IPv6 address, and IPv4 too (dual-stack).</summary>
    public const string DefaultAddress = "::";

    /// <summary>C joold's default port.</summary>
    public const int DefaultPort = 6401;

    /// <summary>An IP literal or a host name, resolved like getaddrinfo; every result gets its own socket.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>The UDP port. The configuration takes 1 to 65535; 0 (an ephemeral port) is for tests.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Reads the plugin's section: "address" (a string) and "port" (a decimal string or an integer).</summary>
    public static StatsUdpOptions FromSection(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string? address = section.GetString(AddressKey, DefaultAddress);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new JooldConfigException(section.Source, AddressKey, "an empty string", "an IP address or host name such as \"::\" or \"0.0.0.0\"");
        }

        return new StatsUdpOptions { Address = address, Port = PortText.Read(section, PortKey, DefaultPort, allowNumber: true) };
    }
}
