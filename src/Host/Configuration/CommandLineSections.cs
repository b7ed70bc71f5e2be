using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Joold.Configuration;

namespace Joold.Host.Configuration;

/// <summary>
/// Turns each command line form into plugin sections, so a plugin parses a flag exactly as it parses the same key
/// in a JSON file: one set of rules and one set of error messages.
/// </summary>
internal static class CommandLineSections
{
    public const string Netlink = "JoolNetlink";
    public const string Multicast = "Multicast";
    public const string Stats = "StatsUdp";
    public const string CommandLine = "command line";

    /// <summary>
    /// The seed's form: <c>joold NETSOCKET MODSOCKET [PORT] [--stats.address A]</c>. The modsocket file is read first,
    /// as the original does. PORT listens on every address ("::"), as in the original, unless an address is given.
    /// </summary>
    public static void AddLegacy(JooldSettings settings, string netsocket, string modsocket, string? statsPort, string? statsAddress = null)
    {
        settings.Origin = $"{netsocket} and {modsocket}";
        settings.AddSection(Netlink, ConfigSection.Load(modsocket));
        settings.AddSection(Multicast, ConfigSection.Load(netsocket));
        if (statsPort is not null || statsAddress is not null)
        {
            settings.AddSection(Stats, Section(new JsonObject { ["address"] = statsAddress ?? "::", ["port"] = statsPort ?? "6401" }));
        }
    }

    /// <summary>The <c>jool session proxy</c> form.</summary>
    public static void AddProxy(
        JooldSettings settings,
        string? address,
        string instance,
        string port,
        string? inInterface,
        string? outInterface,
        long ttl,
        string? statsAddress,
        string? statsPort,
        uint netlinkPeer = 0)
    {
        settings.AddSection(Netlink, Section(new JsonObject { ["instance"] = instance, ["netlink peer"] = netlinkPeer }));
        var net = new JsonObject { ["multicast port"] = port, ["ttl"] = ttl };
        if (address is not null)
        {
            net["multicast address"] = address;
        }

        if (inInterface is not null)
        {
            net["in interface"] = inInterface;
        }

        if (outInterface is not null)
        {
            net["out interface"] = outInterface;
        }

        settings.AddSection(Multicast, Section(net));
        if (statsAddress is not null || statsPort is not null)
        {
            settings.AddSection(Stats, Section(new JsonObject { ["address"] = statsAddress ?? "::", ["port"] = statsPort ?? "6401" }));
        }
    }

    /// <summary>The netlink-only commands (follow, advertise).</summary>
    public static void AddNetlink(JooldSettings settings, string instance, uint netlinkPeer) =>
        settings.AddSection(Netlink, Section(new JsonObject { ["instance"] = instance, ["netlink peer"] = netlinkPeer }));

    /// <summary><c>joold run FILE</c>: a JSON object whose keys are plugin names and values their sections.</summary>
    public static void AddFile(JooldSettings settings, string path)
    {
        settings.Origin = path;
        var root = ConfigSection.Load(path);
        foreach (var plugin in root.Element.EnumerateObject())
        {
            settings.AddSection(plugin.Name, new ConfigSection(string.Create(CultureInfo.InvariantCulture, $"{path} ({plugin.Name})"), plugin.Value));
        }
    }

    public static ConfigSection Section(JsonObject json) => new(CommandLine, JsonSerializer.SerializeToElement(json));
}
