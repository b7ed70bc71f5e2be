using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>netsocket.json texts for the nodes of a test network.</summary>
internal static class MulticastConfig
{
    /// <summary>The man page's IPv4 group.</summary>
    public const string Ipv4Group = "233.252.0.64";

    /// <summary>The man page's IPv6 group.</summary>
    public const string Ipv6Group = "ff08::db8:64:64";

    /// <summary>
    /// A netsocket.json for <paramref name="node"/> on <paramref name="group"/>, following the family rule for "in
    /// interface" and "out interface": an IPv4 group names the interface by its address, an IPv6 group by its name.
    /// </summary>
    public static string For(TestNode node, string group, string port = "6464", int ttl = 1)
    {
        string device = group.Contains(':', StringComparison.Ordinal) ? node.Interface : node.Ipv4.ToString();
        return $$"""{ "multicast address": "{{group}}", "multicast port": "{{port}}", "in interface": "{{device}}", "out interface": "{{device}}", "ttl": {{ttl}} }""";
    }
}
