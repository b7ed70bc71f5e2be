using Joold.Relay;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.Multicast.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection
{
}

/// <summary>
/// The hot paths allocate nothing per datagram. Measured with the process-wide allocation counter, so this runs
/// alone; the bound is a small fraction of what even one object per datagram would cost.
/// </summary>
[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    private const int Rounds = 8;
    private const int PerRound = 500;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sending_and_receiving_allocate_nothing_per_datagram(bool ipv6)
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 2);
        await using var sender = await Peer.StartAsync(net.Nodes[0], Peer.Options(ipv6), listen: false);
        await using var receiver = await Peer.StartAsync(net.Nodes[1], Peer.Options(ipv6), listen: false);
        var counter = new CountingWriter();
        using var stop = new CancellationTokenSource();
        var receiving = receiver.Transport.RunAsync(counter, stop.Token);
        var batch = new SessionBatch(Batches.Valid(1, seed: 50), SessionSide.Local);

        // Warm up: first calls allocate their reusable state (state machines, socket event args, pooled boxes).
        await SendRoundAsync(sender, batch, counter, PerRound);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int round = 0; round < Rounds; round++)
        {
            await SendRoundAsync(sender, batch, counter, PerRound);
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        await stop.CancelAsync();
        await receiving;

        // One small object per datagram on either side would be at least 24 bytes x 4000 = 96,000 bytes; the waits
        // themselves allocate a few kilobytes.
        Assert.True(allocated < Rounds * PerRound * 12, $"{allocated} bytes allocated for {Rounds * PerRound} datagrams sent and received");
    }

    private static async Task SendRoundAsync(Peer sender, SessionBatch batch, CountingWriter counter, int count)
    {
        long target = counter.Count + count;
        for (int i = 0; i < count; i++)
        {
            Assert.True(await sender.Transport.SendAsync(batch, CancellationToken.None));
        }

        await Eventually.WaitAsync(() => counter.Count >= target, $"{target} datagrams received");
    }

    private sealed class CountingWriter : ISessionBatchWriter
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(RelayResult.Accepted);
        }
    }
}
