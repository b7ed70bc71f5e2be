using System.Net;
using System.Net.Sockets;
using Joold.Configuration;
using Joold.Sockets;

namespace Joold.Plugins.Multicast;

/// <summary>
/// The multicast plugin's settings: C joold's netsocket.json keys (spec 5.3), read with the same rules, plus the
/// socket buffer sizes. `joold proxy` flags are mapped by the host into the same keys.
/// </summary>
public sealed record MulticastOptions
{
    public const string AddressKey = "multicast address";
    public const string PortKey = "multicast port";
    public const string InInterfaceKey = "in interface";
    public const string OutInterfaceKey = "out interface";
    public const string TtlKey = "ttl";
    public const string ReceiveBufferKey = "receive buffer";
    public const string SendBufferKey = "send buffer";

    /// <summary>C joold's default port.</summary>
    public const int DefaultPort = 6400;

    /// <summary>
    /// 4 MiB: room for about 2,800 full batches, so a burst from the kernel is not lost while the relay is busy
    /// (C joold keeps the system default, about 200 KiB).
    /// </summary>
    public const int DefaultReceiveBuffer = 4 * 1024 * 1024;

    /// <summary>The largest buffer the kernel accepts (it doubles the value; an int must hold the result).</summary>
    public const int MaxBuffer = int.MaxValue / 2;

    /// <summary>Where the settings came from ("netsocket.json", "command line"), for error messages.</summary>
    public string Source { get; init; } = "multicast";

    /// <summary>The group as written: an IPv4 or IPv6 literal, or a host name resolved at start.</summary>
    public required string Address { get; init; }

    public int Port { get; init; } = DefaultPort;

    /// <summary>IPv4 group: the address of the interface to join on. IPv6 group: its name. Null: any.</summary>
    public string? InInterface { get; init; }

    /// <summary>IPv4 group: the address of the interface to send from. IPv6 group: its name. Null: routing decides.</summary>
    public string? OutInterface { get; init; }

    /// <summary>IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS.</summary>
    public int Ttl { get; init; } = 1;

    /// <summary>SO_RCVBUF(FORCE) in bytes; 0 keeps the system default.</summary>
    public int ReceiveBuffer { get; init; } = DefaultReceiveBuffer;

    /// <summary>SO_SNDBUF(FORCE) in bytes; 0 (the default) keeps the system default.</summary>
    public int SendBuffer { get; init; }

    /// <summary>
    /// How often the socket joins the group and sets its out interface again, so an interface that was deleted and
    /// created anew (a new index) is picked up even by a node that only listens.
    /// </summary>
    internal TimeSpan InterfaceRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads and checks every key; what can be checked without the network (syntax, families of literals, the
    /// group being multicast) fails here with one line naming the file, the key and the value.
    /// </summary>
    public static MulticastOptions FromSection(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string address = section.GetString(AddressKey, null)
            ?? throw new JooldConfigException(
                $"{section.Source}: '{AddressKey}' is missing; the multicast address is mandatory (for example \"233.252.0.64\" or \"ff08::db8:64:64\").");
        var options = new MulticastOptions
        {
            Source = section.Source,
            Address = RequireNotBlank(section, AddressKey, address),
            Port = PortText.Read(section, PortKey, DefaultPort, allowNumber: false),
            InInterface = ReadInterface(section, InInterfaceKey),
            OutInterface = ReadInterface(section, OutInterfaceKey),
            Ttl = section.GetInt32(TtlKey, 1, 0, 255),
            ReceiveBuffer = section.GetInt32(ReceiveBufferKey, DefaultReceiveBuffer, 0, MaxBuffer),
            SendBuffer = section.GetInt32(SendBufferKey, 0, 0, MaxBuffer),
        };

        if (IPAddress.TryParse(options.Address, out var literal))
        {
            options.CheckGroup(literal);
        }

        return options;
    }

    /// <summary>
    /// Checks a (literal or resolved) group against the rest of the settings: it must be multicast, and the
    /// interfaces must be written the way C joold reads them for that family.
    /// </summary>
    public void CheckGroup(IPAddress group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (!IsMulticast(group))
        {
            string resolved = string.Equals(group.ToString(), Address, StringComparison.OrdinalIgnoreCase) ? "" : $" (resolved to {group})";
            throw new JooldConfigException(
                $"{Source}: '{AddressKey}' is \"{Address}\"{resolved}, which is not a multicast address; expected an IPv4 group in 224.0.0.0/4 or an IPv6 group in ff00::/8.");
        }

        CheckInterface(InInterfaceKey, InInterface, group.AddressFamily);
        CheckInterface(OutInterfaceKey, OutInterface, group.AddressFamily);
    }

    /// <summary>224.0.0.0/4 or ff00::/8.</summary>
    public static bool IsMulticast(IPAddress address) => address?.AddressFamily switch
    {
        AddressFamily.InterNetwork => (address.GetAddressBytes()[0] & 0xF0) == 0xE0,
        AddressFamily.InterNetworkV6 => address.IsIPv6Multicast,
        _ => false,
    };

    private void CheckInterface(string key, string? value, AddressFamily groupFamily)
    {
        if (value is null)
        {
            return;
        }

        bool isLiteral = IPAddress.TryParse(value, out var literal);
        if (groupFamily == AddressFamily.InterNetwork && (!isLiteral || literal!.AddressFamily != AddressFamily.InterNetwork))
        {
            throw new JooldConfigException(
                $"{Source}: '{key}' is \"{value}\"; with an IPv4 group it must be the IPv4 address of the interface (for example \"192.0.2.1\"), not a name or an IPv6 address.");
        }

        if (groupFamily == AddressFamily.InterNetworkV6 && isLiteral)
        {
            throw new JooldConfigException(
                $"{Source}: '{key}' is \"{value}\"; with an IPv6 group it must be the name of the interface (for example \"eth0\"), not an address.");
        }
    }

    private static string? ReadInterface(ConfigSection section, string key)
    {
        string? value = section.GetString(key, null);
        return value is null ? null : RequireNotBlank(section, key, value);
    }

    private static string RequireNotBlank(ConfigSection section, string key, string value) =>
        string.IsNullOrWhiteSpace(value) || value.Trim() != value
            ? throw new JooldConfigException(section.Source, key, $"\"{value}\"", "a non-empty value without surrounding spaces")
            : value;
}
