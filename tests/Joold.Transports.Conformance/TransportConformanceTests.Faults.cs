using Joold.Testing;
namespace Joold.Transports.Conformance;

/// <summary>Bad input, a peer that goes away, nodes that restart.</summary>
public abstract partial class TransportConformanceTests
{
    [Fact]
    public async Task Invalid_input_is_counted_and_never_forwarded()
    {
        var (a, b) = await StartPairAsync();
        var invalid = ConformanceBatches.Invalid(withEmpty: Capabilities.CarriesEmptyPayloads);
        byte[] marker = ConformanceBatches.Valid(1);

        foreach (byte[] bytes in invalid)
        {
            Assert.True(await SendRawAsync(a.Node, bytes, Token), $"putting {bytes.Length} invalid bytes on the wire");
        }

        Assert.True(await a.SendAsync(marker, Token));
        await b.Received!.WaitForAsync(marker, "the valid batch sent after the invalid ones");

        // Counted by the relay's writer or by the transport itself: either way, once each, and maybe a moment
        // after the marker went through.
        await Eventually.WaitAsync(() => b.Counters.GetSnapshot().InvalidPeer >= invalid.Count, $"{invalid.Count} invalid inputs counted at B");
        Assert.Equal(invalid.Count, b.Counters.GetSnapshot().InvalidPeer);
        Assert.Equal([marker], b.Received.Forwarded);
    }

    [Fact]
    public async Task A_peer_that_is_gone_costs_no_block_and_is_reached_again_when_it_is_back()
    {
        var (a, b) = await StartPairAsync();
        await CrossAsync(a, b, ConformanceBatches.Valid(1), "a batch at B before it goes");
        await b.StopAsync();

        // The sink must not hang on a missing peer: the send ends (delivered to a queue, or refused), and sending
        // goes on.
        byte[] whileGone = ConformanceBatches.Valid(2);
        await Deadline.WaitAsync(a.SendAsync(whileGone, Token), "a send while the peer is gone to end");

        var backAgain = await StartAsync(NodeName.B);
        byte[] afterwards = ConformanceBatches.Valid(3);
        await SendUntilReceivedAsync(a, backAgain, afterwards, () => backAgain.Received!.Contains(afterwards), "a batch at B once it is back");

        var received = backAgain.Received!.Forwarded;
        if (Capabilities.PeerGone == PeerGone.Queued)
        {
            int queued = received.ToList().FindIndex(r => r.AsSpan().SequenceEqual(whileGone));
            Assert.True(queued >= 0, "the batch sent while B was gone reached B once it was back");
            Assert.True(queued < received.ToList().FindIndex(r => r.AsSpan().SequenceEqual(afterwards)), "the queued batch arrived before the later one");
        }
        else
        {
            Assert.DoesNotContain(received, r => r.AsSpan().SequenceEqual(whileGone));
        }
    }

    [Fact]
    public async Task Nodes_that_restart_exchange_batches_again()
    {
        var (a, b) = await StartPairAsync();
        await CrossAsync(a, b, ConformanceBatches.Valid(4), "a batch at B before the restart");
        await a.StopAsync();
        await b.StopAsync();

        // Same settings, same addresses: whatever the first pair held is free again.
        var (a2, b2) = await StartPairAsync();
        byte[] toB = ConformanceBatches.Valid(5);
        byte[] toA = ConformanceBatches.Valid(6);
        await CrossAsync(a2, b2, toB, "a batch at B after the restart");
        await CrossAsync(b2, a2, toA, "a batch at A after the restart");

        Assert.Equal([toB], b2.Received!.Forwarded);
        Assert.Equal([toA], a2.Received!.Forwarded);
    }
}
