using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Core.Tests.Relay;

/// <summary>Coalescing bursts for a sink allocates nothing per batch in steady state (the gathered buffer is pooled).</summary>
public class BurstAllocationTests(ITestOutputHelper output)
{
    private const int Burst = 8;

    [Fact]
    public async Task A_burst_coalesced_for_a_sink_allocates_nothing_in_steady_state()
    {
        var source = new FakeSource("network", SessionSide.Peer);
        var sink = new CountingSink();
        var counters = new JooldCounters();
        await using var relay = new SessionRelay([source], [sink], counters, NullLogger<SessionRelay>.Instance);
        relay.Start();
        var writer = (ISessionBurstWriter)await source.GetWriterAsync();
        var batch = TestSessions.Container(36);
        long written = 0, failures = 0;

        bool RunRound(int count)
        {
            for (int i = 0; i < count; i++)
            {
                var result = writer.WriteAsync(batch, moreFollow: i % Burst != Burst - 1 && i != count - 1, CancellationToken.None);
                failures += result.IsCompletedSuccessfully && result.Result == RelayResult.Accepted ? 0 : 1;
            }

            written += count;
            return true;
        }

        var measurement = await new AllocationMeter().MeasureThreadAsync(RunRound);

        output.WriteLine(measurement.ToString());
        Assert.Equal(0, failures);
        Assert.False(measurement.AllocatesPerBatch, measurement.ToString());
        await relay.StopAsync();
        Assert.Equal(written, counters.GetSnapshot().LocalDeliveredPackets);
        Assert.Equal(written * batch.Length, Interlocked.Read(ref sink.Bytes));
        Assert.True(Volatile.Read(ref sink.Sends) <= (written / Burst) + 16, $"{sink.Sends} sends for {written} batches in bursts of {Burst}");
    }

    /// <summary>A coalescing local sink that only counts (recording would allocate).</summary>
    private sealed class CountingSink : ICoalescingSessionSink
    {
        public long Bytes;
        public long Sends;

        public string Name => "counting kernel";

        public SessionSide Side => SessionSide.Local;

        public int MaxCoalescedLength => 16_000;

        public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref Bytes, batch.Entries.Length);
            Interlocked.Increment(ref Sends);
            return new ValueTask<bool>(true);
        }

        public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
