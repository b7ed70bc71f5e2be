using System.Net;

namespace Joold.Testing.Namespaces;

/// <summary>One interface inside a node's namespace, with its documentation-range addresses.</summary>
/// <param name="Name">The interface name (unique on this machine while the test runs).</param>
/// <param name="Ipv4">Its IPv4 address (198.51.100.0/24 on the shared LAN, 203.0.113.0/24 on links).</param>
/// <param name="Ipv4PrefixLength">The IPv4 prefix length.</param>
/// <param name="Ipv6">Its global IPv6 address (2001:db8::/32).</param>
/// <param name="Ipv6PrefixLength">The IPv6 prefix length.</param>
public sealed record TestInterface(string Name, IPAddress Ipv4, int Ipv4PrefixLength, IPAddress Ipv6, int Ipv6PrefixLength)
{
    public override string ToString() => $"{Name} {Ipv4}/{Ipv4PrefixLength} {Ipv6}/{Ipv6PrefixLength}";
}
