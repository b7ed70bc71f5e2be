using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests;

/// <summary>Two or three transports in this process on 127.0.0.1: what one sends, the others receive once, in order.</summary>
public sealed class LoopbackTests
{
    [Fact]
    public async Task Batches_go_both_ways_over_one_connection_in_order_and_once()
    {
        using var pki = new TestPki();
        await using var a = await TlsNode.StartAsync(pki.Issue("a"));
        await using var b = await TlsNode.StartAsync(pki.Issue("b"), listen: null, peers: [a.Address]);
        await a.WaitConnectedAsync();
        await b.WaitConnectedAsync();

        var fromA = Enumerable.Range(0, 50).Select(_ => TestSessions.Unique(36)).ToList();
        var fromB = Enumerable.Range(0, 50).Select(_ => TestSessions.Unique(3)).ToList();
        foreach (var (x, y) in fromA.Zip(fromB))
        {
            Assert.True(a.Send(x));
            Assert.True(b.Send(y));
        }

        await Eventually.WaitAsync(() => b.Received.Count >= fromA.Count && a.Received.Count >= fromB.Count, "every batch on the other side");
        Assert.Equal(fromA, b.Received.Batches);
        Assert.Equal(fromB, a.Received.Batches);

        // Every batch was acknowledged: nothing stays queued.
        await Eventually.WaitAsync(() => a.Transport.Peers.All(p => p.Queued == 0) && b.Transport.Peers.All(p => p.Queued == 0), "empty queues");
        var statusA = Assert.Single(a.Transport.Peers);
        Assert.Equal((50, 50, 0, 0, 50), (statusA.Sent, statusA.Acknowledged, statusA.Resent, statusA.Dropped, statusA.Received));
        Assert.Equal("CN=b", statusA.Name);
        var statusB = Assert.Single(b.Transport.Peers);
        Assert.Equal(a.Address, statusB.Name);
        Assert.Equal((50, 50, 0L), (statusB.Sent, statusB.Acknowledged, statusB.Resent));
        Assert.Equal(0, a.Transport.Refusals + b.Transport.Refusals + a.Transport.MalformedFrames + b.Transport.MalformedFrames);
    }
}
