using System.Net;
using Joold.Host.CommandLine;
using Joold.Relay;
using Joold.Sessions;

namespace Joold.Host.Tests;

/// <summary>The CSV text of <c>joold follow</c>, as <c>jool session follow</c> prints it (spec section 9).</summary>
public class FollowTests
{
    private static readonly SessionEntry Example = new(
        IPAddress.Parse("2001:db8::8"), 60927, IPAddress.Parse("192.0.2.1"), 62806, IPAddress.Parse("192.0.2.8"), 1234,
        299028, L4Protocol.Udp, TcpState.Established, SessionTimer.Established);

    [Theory]
    [InlineData(299028u, "0:04:59.028")]
    [InlineData(7200000u, "2:00:00")]
    [InlineData(0u, "0:00:00")]
    [InlineData(4294967295u, "1193:02:47.295")]
    [InlineData(61001u, "0:01:01.001")]
    public void Expiration_reads_as_hours_minutes_seconds(uint milliseconds, string expected) =>
        Assert.Equal(expected, FollowLine.FormatExpiration(milliseconds));

    [Fact]
    public void A_session_is_one_csv_line() =>
        Assert.Equal("UDP,2001:db8::8,60927,192.0.2.1,62806,192.0.2.8,1234,0:04:59.028", FollowLine.Format(Example));

    [Theory]
    [InlineData(L4Protocol.Tcp, "TCP")]
    [InlineData(L4Protocol.Icmp, "ICMP")]
    [InlineData(L4Protocol.Other, "unknown")]
    public void Protocols_are_named_as_jool_names_them(L4Protocol protocol, string name) =>
        Assert.StartsWith(name + ",", FollowLine.Format(Example with { Protocol = protocol }), StringComparison.Ordinal);

    [Fact]
    public void Mapped_addresses_print_as_inet_ntop_prints_them() =>
        Assert.Contains(",::ffff:0.0.0.1,", FollowLine.Format(Example with { Source6 = IPAddress.Parse("::ffff:0.0.0.1") }), StringComparison.Ordinal);

    [Theory]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    [InlineData("::192.0.2.1", "::192.0.2.1")]
    [InlineData("::1", "::1")]
    [InlineData("::", "::")]
    [InlineData("::2", "::2")]
    [InlineData("64:ff9b::c000:201", "64:ff9b::c000:201")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]
    public void IPv6_addresses_print_as_glibc_inet_ntop_prints_them(string address, string expected) =>
        Assert.Equal(expected, FollowLine.FormatIPv6(IPAddress.Parse(address)));

    [Fact]
    public async Task The_printer_writes_one_line_per_session_in_entry_order()
    {
        var second = Example with { Source6Port = 1, ExpirationMilliseconds = 7200000, Protocol = L4Protocol.Tcp };
        var output = new StringWriter { NewLine = "\n" };
        var printer = new FollowPrinter(output);

        bool delivered = await printer.SendAsync(new SessionBatch(SessionContainer.Create([Example, second]), SessionSide.Local), TestContext.Current.CancellationToken);

        Assert.True(delivered);
        Assert.Equal(
            "UDP,2001:db8::8,60927,192.0.2.1,62806,192.0.2.8,1234,0:04:59.028\nTCP,2001:db8::8,1,192.0.2.1,62806,192.0.2.8,1234,2:00:00\n",
            output.ToString());
    }
}
