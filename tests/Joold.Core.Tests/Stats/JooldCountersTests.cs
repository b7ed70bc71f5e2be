using Joold.Relay;
using Joold.Stats;

namespace Joold.Core.Tests.Stats;

public class JooldCountersTests
{
    [Fact]
    public void Byte_counters_go_past_the_32_bit_range_without_turning_negative()
    {
        var counters = new JooldCounters();

        for (int i = 0; i < 3; i++)
        {
            counters.KernelSent(int.MaxValue);
            counters.NetReceived(int.MaxValue);
            counters.NetSent(int.MaxValue);
            counters.LocalDelivered(int.MaxValue, int.MaxValue);
        }

        var stats = counters.GetSnapshot();
        const long Expected = 3L * int.MaxValue;
        Assert.Equal(Expected, stats.KernelSentBytes);
        Assert.Equal(Expected, stats.NetReceivedBytes);
        Assert.Equal(Expected, stats.NetSentBytes);
        Assert.Equal(Expected, stats.LocalDeliveredBytes);
        Assert.Equal(Expected, stats.LocalDeliveredSessions);
        Assert.Equal(3, stats.KernelSentPackets);
        Assert.Equal(3, stats.NetReceivedPackets);
        Assert.Equal(3, stats.NetSentPackets);
        Assert.Equal(3, stats.LocalDeliveredPackets);
    }

    [Fact]
    public void Every_counter_starts_at_zero_and_moves_on_its_own()
    {
        var counters = new JooldCounters();
        Assert.Equal(default, counters.GetSnapshot());

        counters.Invalid(SessionSide.Local);
        counters.Invalid(SessionSide.Peer);
        counters.Invalid(SessionSide.Peer);
        counters.Drop();
        counters.Drop();
        counters.Drop();
        counters.SinkFailure();
        counters.Overrun();
        counters.Overrun();

        Assert.Equal(
            new StatsSnapshot { InvalidLocal = 1, InvalidPeer = 2, Dropped = 3, SinkFailures = 1, Overruns = 2 },
            ((IJooldStatistics)counters).GetSnapshot());
    }

    [Fact]
    public async Task Concurrent_updates_are_never_lost()
    {
        var counters = new JooldCounters();
        const int Threads = 4;
        const int PerThread = 25_000;

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                counters.NetSent(40);
                counters.Drop();
            }
        })));

        var stats = counters.GetSnapshot();
        Assert.Equal(Threads * PerThread, stats.NetSentPackets);
        Assert.Equal(Threads * PerThread * 40L, stats.NetSentBytes);
        Assert.Equal(Threads * PerThread, stats.Dropped);
    }
}
