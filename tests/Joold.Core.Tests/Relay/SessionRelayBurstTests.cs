using Joold.Relay;
using Joold.Testing;

namespace Joold.Core.Tests.Relay;

/// <summary>
/// Bursts (<see cref="ISessionBurstWriter"/>): a coalescing sink gets the batches of one burst as one, each entry
/// once and in order, while every batch is still validated and counted on its own and other sinks get each one.
/// </summary>
public class SessionRelayBurstTests
{
    [Fact]
    public async Task A_burst_reaches_a_coalescing_sink_as_one_batch_and_other_sinks_batch_by_batch()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        var kernel = new CoalescingSink(64 * 1024);
        var other = new FakeSink("follow", SessionSide.Local);
        await using var relay = new RelayHarness(network, kernel, other);
        var writer = Assert.IsAssignableFrom<ISessionBurstWriter>(await network.GetWriterAsync());
        byte[][] batches = [TestSessions.Container(36, tag: 1), TestSessions.Container(2, tag: 2), TestSessions.Container(5, tag: 3)];

        Assert.Equal(RelayResult.Accepted, await writer.WriteAsync(batches[0], moreFollow: true, CancellationToken.None));
        Assert.Equal(RelayResult.Accepted, await writer.WriteAsync(batches[1], moreFollow: true, CancellationToken.None));
        Assert.Empty(kernel.Received);
        Assert.Equal(RelayResult.Accepted, await writer.WriteAsync(batches[2], moreFollow: false, CancellationToken.None));
        await relay.StopAsync();

        Assert.Equal([.. batches[0], .. batches[1], .. batches[2]], Assert.Single(kernel.Received));
        Assert.Equal(batches, other.Received);
        var stats = relay.Stats;
        Assert.Equal(3, stats.NetReceivedPackets);
        Assert.Equal(6, stats.LocalDeliveredPackets); // three batches for each of the two sinks
        Assert.Equal(2 * 43, stats.LocalDeliveredSessions);
        Assert.Equal(2 * 43 * 40, stats.LocalDeliveredBytes);
    }

    [Fact]
    public async Task A_burst_that_ends_with_an_invalid_batch_still_goes_out_and_the_invalid_one_is_counted()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        var kernel = new CoalescingSink(64 * 1024);
        await using var relay = new RelayHarness(network, kernel);
        var writer = (ISessionBurstWriter)await network.GetWriterAsync();
        byte[][] batches = [TestSessions.Container(3, tag: 1), TestSessions.Container(4, tag: 2)];

        await writer.WriteAsync(batches[0], moreFollow: true, CancellationToken.None);
        await writer.WriteAsync(batches[1], moreFollow: true, CancellationToken.None);
        Assert.Equal(RelayResult.Invalid, await writer.WriteAsync(new byte[] { 1, 2, 3 }, moreFollow: false, CancellationToken.None));
        await relay.StopAsync();

        Assert.Equal([.. batches[0], .. batches[1]], Assert.Single(kernel.Received));
        Assert.Equal(1, relay.Stats.InvalidPeer);
        Assert.Equal(2, relay.Stats.LocalDeliveredPackets);
    }

    [Fact]
    public async Task A_burst_longer_than_the_sink_takes_is_split_at_batch_boundaries()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        var kernel = new CoalescingSink(2 * 1440);
        await using var relay = new RelayHarness(network, kernel);
        var writer = (ISessionBurstWriter)await network.GetWriterAsync();
        byte[][] batches = [.. Enumerable.Range(1, 5).Select(tag => TestSessions.Container(36, tag))];

        for (int i = 0; i < batches.Length; i++)
        {
            await writer.WriteAsync(batches[i], moreFollow: i < batches.Length - 1, CancellationToken.None);
        }

        await relay.StopAsync();

        Assert.Equal([[.. batches[0], .. batches[1]], [.. batches[2], .. batches[3]], batches[4]], kernel.Received);
        Assert.Equal(5, relay.Stats.LocalDeliveredPackets);
    }

    [Fact]
    public async Task EndBurst_and_a_source_that_stops_inside_a_burst_send_what_was_gathered()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        var kernel = new CoalescingSink(64 * 1024);
        await using var relay = new RelayHarness(network, kernel);
        var writer = (ISessionBurstWriter)await network.GetWriterAsync();

        await writer.WriteAsync(TestSessions.Container(1, tag: 1), moreFollow: true, CancellationToken.None);
        writer.EndBurst();
        writer.EndBurst();
        await Eventually.WaitAsync(() => kernel.Received.Count == 1, "the gathered batch after EndBurst");
        await writer.WriteAsync(TestSessions.Container(2, tag: 2), moreFollow: true, CancellationToken.None);
        await relay.StopAsync();

        Assert.Equal([TestSessions.Container(1, tag: 1), TestSessions.Container(2, tag: 2)], kernel.Received);
    }

    [Fact]
    public async Task A_refused_coalesced_batch_counts_every_batch_in_it_as_a_sink_failure()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        var kernel = new CoalescingSink(64 * 1024, delivers: false);
        await using var relay = new RelayHarness(network, kernel);
        var writer = (ISessionBurstWriter)await network.GetWriterAsync();

        await writer.WriteAsync(TestSessions.Container(1, tag: 1), moreFollow: true, CancellationToken.None);
        await writer.WriteAsync(TestSessions.Container(1, tag: 2), moreFollow: false, CancellationToken.None);
        await relay.StopAsync();

        Assert.Single(kernel.Received);
        Assert.Equal(2, relay.Stats.SinkFailures);
        Assert.Equal(0, relay.Stats.LocalDeliveredPackets);
    }
}
