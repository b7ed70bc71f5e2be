using Joold.Core.Tests.Sessions;
using Joold.Relay;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.Core.Tests.Relay;

public class SessionRelayRoutingTests
{
    [Fact]
    public async Task Local_batches_reach_every_peer_sink_and_no_local_sink()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var kernelSink = new FakeSink("kernel sink", SessionSide.Local);
        var peers = new[] { new FakeSink("peer A", SessionSide.Peer), new FakeSink("peer B", SessionSide.Peer) };
        await using var relay = new RelayHarness(kernel, kernelSink, peers[0], peers[1]);
        var batches = new[] { TestSessions.Container(36), TestSessions.Container(1, tag: 40), TestSessions.Container(5, tag: 50) };

        foreach (var batch in batches)
        {
            Assert.Equal(RelayResult.Accepted, await kernel.WriteAsync(batch));
        }

        await Eventually.WaitAsync(() => peers.All(p => p.Received.Count == 3), "both peer sinks to get the three batches");
        await relay.StopAsync();
        foreach (var peer in peers)
        {
            Assert.Equal(batches, peer.Received);
            Assert.All(peer.Origins, origin => Assert.Equal(SessionSide.Local, origin));
        }

        Assert.Empty(kernelSink.Received);
    }

    [Fact]
    public async Task Peer_batches_reach_every_local_sink_and_are_never_echoed_to_peers()
    {
        var network = new FakeSource("network", SessionSide.Peer);
        var peerSink = new FakeSink("network sink", SessionSide.Peer);
        var kernels = new[] { new FakeSink("kernel A", SessionSide.Local), new FakeSink("kernel B", SessionSide.Local) };
        await using var relay = new RelayHarness(network, peerSink, kernels[0], kernels[1]);
        var batches = new[] { TestSessions.Container(2), TestSessions.Container(36, tag: 100) };

        foreach (var batch in batches)
        {
            Assert.Equal(RelayResult.Accepted, await network.WriteAsync(batch));
        }

        await Eventually.WaitAsync(() => kernels.All(k => k.Received.Count == 2), "both local sinks to get the two batches");
        await relay.StopAsync();
        foreach (var kernel in kernels)
        {
            Assert.Equal(batches, kernel.Received);
            Assert.All(kernel.Origins, origin => Assert.Equal(SessionSide.Peer, origin));
        }

        Assert.Empty(peerSink.Received);
    }

    [Fact]
    public async Task A_transport_that_is_both_peer_source_and_peer_sink_gets_local_batches_but_not_its_own()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var kernelSink = new FakeSink("kernel sink", SessionSide.Local);
        var transport = new FakeTransport("multicast");
        await using var relay = new RelayHarness(kernel, kernelSink, transport);
        var fromKernel = TestSessions.Container(3);
        var fromNetwork = TestSessions.Container(4, tag: 10);

        Assert.Equal(RelayResult.Accepted, await kernel.WriteAsync(fromKernel));
        Assert.Equal(RelayResult.Accepted, await transport.Source.WriteAsync(fromNetwork));
        await relay.StopAsync();

        Assert.Equal([fromKernel], transport.Sink.Received);
        Assert.Equal([fromNetwork], kernelSink.Received);
    }

    [Fact]
    public async Task Batches_from_concurrent_sources_all_arrive_intact()
    {
        var sources = Enumerable.Range(0, 4).Select(i => new FakeSource($"kernel {i}", SessionSide.Local)).ToArray();
        var peer = new FakeSink("peer", SessionSide.Peer);
        await using var relay = new RelayHarness([.. sources, peer]);
        const int PerSource = 200;

        await Task.WhenAll(sources.Select((source, i) => Task.Run(async () =>
        {
            for (int n = 0; n < PerSource; n++)
            {
                Assert.Equal(RelayResult.Accepted, await source.WriteAsync(TestSessions.Container(1 + (n % 36), tag: (i * 50) + 1)));
            }
        })));
        await relay.StopAsync();

        Assert.Equal(4 * PerSource, peer.Received.Count);
        Assert.All(peer.Received, batch => Assert.True(SessionContainer.Validate(batch).IsValid));
        Assert.Equal(4 * PerSource, relay.Stats.KernelSentPackets);
        Assert.Equal(4 * PerSource, relay.Stats.NetSentPackets);
    }

    [Fact]
    public async Task The_sink_gets_the_relays_own_copy_not_the_sources_buffer()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var peer = new FakeSink("peer", SessionSide.Peer);
        peer.Hold();
        await using var relay = new RelayHarness(kernel, peer);
        var buffer = TestSessions.Container(36);
        var original = (byte[])buffer.Clone();

        Assert.Equal(RelayResult.Accepted, await kernel.WriteAsync(buffer));
        Array.Fill(buffer, (byte)0xAA);
        peer.Release();
        await Eventually.WaitAsync(() => peer.Received.Count == 1, "the peer sink to get the batch");

        Assert.Equal(original, peer.Received[0]);
    }

    [Fact]
    public void A_batch_counts_its_whole_entries()
    {
        Assert.Equal(36, new SessionBatch(TestSessions.Container(36), SessionSide.Local).SessionCount);
        Assert.Equal(0, new SessionBatch(ReadOnlyMemory<byte>.Empty, SessionSide.Peer).SessionCount);
    }

    [Fact]
    public async Task Starting_twice_is_refused_and_stopping_twice_is_harmless()
    {
        var relay = new RelayHarness(new FakeSource("kernel", SessionSide.Local), new FakeSink("peer", SessionSide.Peer));

        Assert.Throws<InvalidOperationException>(relay.Relay.Start);
        await relay.StopAsync();
        await relay.StopAsync();
        await relay.DisposeAsync();
        Assert.True(relay.Relay.Completion.IsCompletedSuccessfully);
    }
}
