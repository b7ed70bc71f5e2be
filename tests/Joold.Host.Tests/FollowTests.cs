using System.Net;
using Joold.Host.CommandLine;
using Joold.Relay;
using Joold.Sessions;

namespace Joold.Host.Tests;

/// <summary><c>joold follow</c>'s printer; the line format itself is pinned by Core's FollowLineTests.</summary>
public class FollowTests
{
    private static readonly SessionEntry Example = new(
        IPAddress.Parse("2001:db8::8"), 60927, IPAddress.Parse("192.0.2.1"), 62806, IPAddress.Parse("192.0.2.8"), 1234,
        299028, L4Protocol.Udp, TcpState.Established, SessionTimer.Established);

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
