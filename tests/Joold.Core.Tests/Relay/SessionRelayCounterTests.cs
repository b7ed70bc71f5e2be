using Joold.Core.Tests.Sessions;
using Joold.Relay;
using Joold.Testing;

namespace Joold.Core.Tests.Relay;

/// <summary>The relay alone counts; these pin down when each counter moves (spec 5.7, as C joold's code does).</summary>
public class SessionRelayCounterTests
{
    [Fact]
    public async Task A_local_batch_counts_kernel_sent_once_however_many_peer_sinks_take_it()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        await using var relay = new RelayHarness(kernel, new FakeSink("peer A", SessionSide.Peer), new FakeSink("peer B", SessionSide.Peer));

        await kernel.WriteAsync(TestSessions.Container(36));
        await kernel.WriteAsync(TestSessions.Container(2));
        await relay.StopAsync();

        var stats = relay.Stats;
        Assert.Equal(2, stats.KernelSentPackets);
        Assert.Equal(1440 + 80, stats.KernelSentBytes);
        Assert.Equal(4, stats.NetSentPackets);
        Assert.Equal(2 * (1440 + 80), stats.NetSentBytes);
        Assert.Equal(0, stats.NetReceivedPackets);
        Assert.Equal(0, stats.Dropped);
    }

    [Fact]
    public async Task Every_peer_write_counts_as_received_including_invalid_and_empty_ones()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        var kernel = new FakeSink("kernel", SessionSide.Local);
        await using var relay = new RelayHarness(network, kernel);

        Assert.Equal(RelayResult.Accepted, await network.WriteAsync(TestSessions.Container(3)));
        Assert.Equal(RelayResult.Invalid, await network.WriteAsync([]));
        Assert.Equal(RelayResult.Invalid, await network.WriteAsync([1, 2, 3, 4, 5]));
        await relay.StopAsync();

        var stats = relay.Stats;
        Assert.Equal(3, stats.NetReceivedPackets);
        Assert.Equal(120 + 0 + 5, stats.NetReceivedBytes);
        Assert.Equal(2, stats.InvalidPeer);
        Assert.Equal(0, stats.InvalidLocal);
        Assert.Equal(1, stats.LocalDeliveredPackets);
        Assert.Equal(120, stats.LocalDeliveredBytes);
        Assert.Equal(3, stats.LocalDeliveredSessions);
        Assert.Equal(0, stats.KernelSentPackets);
        Assert.Single(kernel.Received);
    }

    [Fact]
    public async Task An_invalid_local_batch_is_counted_as_invalid_and_not_as_kernel_sent()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var peer = new FakeSink("peer", SessionSide.Peer);
        await using var relay = new RelayHarness(kernel, peer);

        Assert.Equal(RelayResult.Invalid, await kernel.WriteAsync(Containers.WithPacked(TestSessions.Container(2), 1, 0x0060)));
        Assert.Equal(RelayResult.Invalid, await kernel.WriteAsync([]));
        await relay.StopAsync();

        var stats = relay.Stats;
        Assert.Equal(2, stats.InvalidLocal);
        Assert.Equal(0, stats.InvalidPeer);
        Assert.Equal(0, stats.KernelSentPackets);
        Assert.Equal(0, stats.NetReceivedPackets);
        Assert.Empty(peer.Received);
    }

    [Fact]
    public async Task Net_sent_counts_only_the_sends_the_sink_reports_as_delivered()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var refusing = new FakeSink("refusing peer", SessionSide.Peer) { Outcome = call => call % 2 == 1 };
        await using var relay = new RelayHarness(kernel, refusing);

        for (int i = 0; i < 4; i++)
        {
            await kernel.WriteAsync(TestSessions.Container(1));
        }

        await relay.StopAsync();

        var stats = relay.Stats;
        Assert.Equal(4, stats.KernelSentPackets);
        Assert.Equal(2, stats.NetSentPackets);
        Assert.Equal(80, stats.NetSentBytes);
        Assert.Equal(2, stats.SinkFailures);
        Assert.Contains(relay.Log.Entries, e => e.EventId == 102 && e.Message.Contains("refusing peer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_local_sink_that_refuses_is_not_counted_as_delivered()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        await using var relay = new RelayHarness(network, new FakeSink("kernel", SessionSide.Local) { Outcome = _ => false });

        await network.WriteAsync(TestSessions.Container(2));
        await relay.StopAsync();

        Assert.Equal(0, relay.Stats.LocalDeliveredPackets);
        Assert.Equal(1, relay.Stats.SinkFailures);
    }

    [Fact]
    public async Task A_full_sink_queue_drops_and_counts_the_batch()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var stuck = new FakeSink("stuck peer", SessionSide.Peer);
        var healthy = new FakeSink("healthy peer", SessionSide.Peer);
        stuck.Hold();
        await using var relay = new RelayHarness(new RelayOptions { SinkQueueCapacity = 1 }, kernel, stuck, healthy);
        var batches = Enumerable.Range(1, 3).Select(i => TestSessions.Container(i)).ToArray();

        // The healthy sink's queue holds one batch too: let it empty before each write so only the stuck one fills.
        Assert.Equal(RelayResult.Accepted, await kernel.WriteAsync(batches[0]));
        await Eventually.WaitAsync(() => stuck.Entered == 1 && healthy.Received.Count == 1, "both sinks to take the first batch");
        Assert.Equal(RelayResult.Accepted, await kernel.WriteAsync(batches[1]));
        await Eventually.WaitAsync(() => healthy.Received.Count == 2, "the healthy sink to take the second batch");
        Assert.Equal(RelayResult.Dropped, await kernel.WriteAsync(batches[2]));
        stuck.Release();
        await relay.StopAsync();

        var stats = relay.Stats;
        Assert.Equal(1, stats.Dropped);
        Assert.Equal(3, stats.KernelSentPackets);
        Assert.Equal(5, stats.NetSentPackets);
        Assert.Equal(batches[..2], stuck.Received);
        Assert.Equal(batches, healthy.Received);
        Assert.Contains(relay.Log.Entries, e => e.EventId == 101 && e.Message.Contains("stuck peer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_no_sink_can_take_is_not_counted_as_kernel_sent()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var stuck = new FakeSink("stuck peer", SessionSide.Peer);
        stuck.Hold();
        await using var relay = new RelayHarness(new RelayOptions { SinkQueueCapacity = 1 }, kernel, stuck);

        await kernel.WriteAsync(TestSessions.Container(1));
        await Eventually.WaitAsync(() => stuck.Entered == 1, "the stuck sink to take the first batch");
        await kernel.WriteAsync(TestSessions.Container(1));
        Assert.Equal(RelayResult.Dropped, await kernel.WriteAsync(TestSessions.Container(1)));
        stuck.Release();
        await relay.StopAsync();

        Assert.Equal(2, relay.Stats.KernelSentPackets);
        Assert.Equal(1, relay.Stats.Dropped);
    }

    [Fact]
    public async Task Batches_with_no_sink_on_the_other_side_are_dropped_and_the_relay_says_so()
    {
        var kernel = new FakeSource("lonely kernel", SessionSide.Local);
        var network = new FakeSource("lonely network", SessionSide.Peer);
        var sameSide = new FakeSink("kernel sink", SessionSide.Local);
        await using var relay = new RelayHarness(kernel, network, sameSide);

        Assert.Equal(RelayResult.Dropped, await kernel.WriteAsync(TestSessions.Container(1)));
        Assert.Equal(RelayResult.Accepted, await network.WriteAsync(TestSessions.Container(1)));
        await relay.StopAsync();

        Assert.Equal(1, relay.Stats.Dropped);
        Assert.Equal(0, relay.Stats.KernelSentPackets);
        Assert.Equal(1, relay.Stats.NetReceivedPackets);
        Assert.Contains(relay.Log.Entries, e => e.EventId == 105 && e.Message.Contains("lonely kernel", StringComparison.Ordinal));
        Assert.DoesNotContain(relay.Log.Entries, e => e.EventId == 105 && e.Message.Contains("lonely network", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_peer_batch_with_no_local_sink_counts_as_received_and_dropped()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        await using var relay = new RelayHarness(network, new FakeSink("peer sink", SessionSide.Peer));

        Assert.Equal(RelayResult.Dropped, await network.WriteAsync(TestSessions.Container(2)));
        await relay.StopAsync();

        Assert.Equal(1, relay.Stats.NetReceivedPackets);
        Assert.Equal(80, relay.Stats.NetReceivedBytes);
        Assert.Equal(1, relay.Stats.Dropped);
    }
}
