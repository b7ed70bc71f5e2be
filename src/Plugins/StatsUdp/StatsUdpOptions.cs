using Joold.Configuration;

namespace Joold.Plugins.StatsUdp;

/// <summary>Where the stats server listens: C joold's <c>--stats.address</c> and <c>--stats.port</c>.</summary>
public sealed class StatsUdpOptions
{
    /// <summary>The key of the address, as in the legacy configuration.</summary>
    public const string AddressKey = "address";

    /// <summary>The key of the port.</summary>
    public const string PortKey = "port";

    /// <summary>The key of <see cref="RepliesPerSecond"/>.</summary>
    public const string RepliesPerSecondKey = "replies per second";

    /// <summary>C joold's default address: every IPv6 address, and IPv4 too (dual-stack).</summary>
    public const string DefaultAddress = "::";

    /// <summary>C joold's default port.</summary>
    public const int DefaultPort = 6401;

    /// <summary>Replies a second to one source address by default: twice what a poller waiting on a value asks.</summary>
    public const int DefaultRepliesPerSecond = 20;

    /// <summary>The largest <see cref="RepliesPerSecond"/> accepted.</summary>
    public const int MaxRepliesPerSecond = 1_000_000;

    /// <summary>An IP literal or a host name, resolved like getaddrinfo; every result gets its own socket.</summary>
    public string Address { get; init; } = DefaultAddress;

    /// <summary>The UDP port. The configuration takes 1 to 65535; 0 (an ephemeral port) is for tests.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>
    /// Replies one source address gets a second, in bursts of as many; what exceeds it is dropped and counted. C
    /// joold has no limit, which makes its 4.75-fold reply an amplifier for forged sources.
    /// </summary>
    public int RepliesPerSecond { get; init; } = DefaultRepliesPerSecond;

    /// <summary>
    /// Reads the plugin's section: "address" (a string), "port" (a decimal string or an integer) and "replies per
    /// second" (an integer).
    /// </summary>
    public static StatsUdpOptions FromSection(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string? address = section.GetString(AddressKey, DefaultAddress);
        if (string.IsNullOrWhiteSpace(address))
        {
            throw new JooldConfigException(section.Source, AddressKey, "an empty string", "an IP address or host name such as \"::\" or \"0.0.0.0\"");
        }

        return new StatsUdpOptions
        {
            Address = address,
            Port = PortText.Read(section, PortKey, DefaultPort, allowNumber: true),
            RepliesPerSecond = section.GetInt32(RepliesPerSecondKey, DefaultRepliesPerSecond, 1, MaxRepliesPerSecond),
        };
    }
}
