using System.Net;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.Core.Tests.Sessions;

/// <summary>The `jool session follow` line (spec section 9), addresses as glibc's inet_ntop prints them.</summary>
public sealed class FollowLineTests
{
    [Fact]
    public void The_worked_example_prints_as_the_spec_says() =>
        Assert.Equal("UDP,2001:db8::8,60927,192.0.2.1,62806,192.0.2.8,1234,0:04:59.028", FollowLine.Format(TestSessions.Example));

    [Theory]
    [InlineData(L4Protocol.Tcp, "TCP")]
    [InlineData(L4Protocol.Icmp, "ICMP")]
    [InlineData(L4Protocol.Other, "unknown")]
    public void Protocols_print_by_name(L4Protocol protocol, string name) =>
        Assert.StartsWith(name + ",", FollowLine.Format(TestSessions.Example with { Protocol = protocol }), StringComparison.Ordinal);

    [Theory]
    [InlineData(299028u, "0:04:59.028")]
    [InlineData(7200000u, "2:00:00")]
    [InlineData(0u, "0:00:00")]
    [InlineData(4294967295u, "1193:02:47.295")]
    [InlineData(61001u, "0:01:01.001")]
    public void Expirations_print_as_hours_minutes_seconds_and_milliseconds_only_when_not_zero(uint ms, string text) =>
        Assert.Equal(text, FollowLine.FormatExpiration(ms));

    /// <summary>Expected texts produced by glibc's inet_ntop on this machine (a small C program).</summary>
    [Theory]
    [InlineData("::ffff:0.0.0.1", "::ffff:0.0.0.1")]
    [InlineData("::1.2.3.4", "::1.2.3.4")]
    [InlineData("::0.0.0.1", "::1")]
    [InlineData("::0.1.0.0", "::0.1.0.0")]
    [InlineData("2001:db8::8", "2001:db8::8")]
    [InlineData("::ffff:0:1.2.3.4", "::ffff:0:102:304")]
    [InlineData("64:ff9b::1.2.3.4", "64:ff9b::102:304")]
    [InlineData("1:0:0:1:0:0:0:1", "1:0:0:1::1")]
    [InlineData("1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("::ffff:1.2.3.4", "::ffff:1.2.3.4")]
    [InlineData("::fffe:1.2.3.4", "::fffe:102:304")]
    [InlineData("::1:0:0:1", "::1:0:0:1")]
    [InlineData("0:0:0:0:0:1:0:0", "::1:0:0")]
    [InlineData("::ffff:0:0", "::ffff:0.0.0.0")]
    [InlineData("::ffff", "::ffff")]
    [InlineData("::0.0.1.0", "::100")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("fe80::1:2:3:4:5", "fe80::1:2:3:4:5")]
    [InlineData("2001:db8:1:2:3:4:5:0", "2001:db8:1:2:3:4:5:0")]
    [InlineData("2001:db8:1:2:3:4::", "2001:db8:1:2:3:4::")]
    public void Ipv6_addresses_print_like_inet_ntop(string address, string text) =>
        Assert.Equal(text, FollowLine.FormatIPv6(IPAddress.Parse(address)));
}
