using Joold.Core.Tests.Sessions;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Core.Tests.Relay;

/// <summary>
/// The hot path allocates nothing per batch in steady state. Only the relay's own work is counted: the writer's
/// thread (where the source writes and an idle pump resumes) and, for a sink that completes later, the thread-pool
/// thread that completes it (the sink counts what the pump does there). So other work in the process, whether test
/// runner, thread pool or timers, cannot make these fail, and they need not run alone. What remains is one-off:
/// on a loaded machine the pool adds threads, and each new one costs about 2.5 KB once (its thread-local
/// <c>ArrayPool</c> cache, and a fresh buffer for the one parked there), in one round out of several.
/// </summary>
public class RelayAllocationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 32)]
    [InlineData(true, 1)]
    [InlineData(true, 32)]
    public async Task A_batch_through_the_relay_allocates_nothing_in_steady_state(bool sinkCompletesAsynchronously, int burst)
    {
        var source = new FakeSource("kernel", SessionSide.Local);
        using var sink = new SignallingSink(sinkCompletesAsynchronously);
        var counters = new JooldCounters();
        await using var relay = new SessionRelay([source], [sink], counters, NullLogger<SessionRelay>.Instance);
        relay.Start();
        var writer = await source.GetWriterAsync();
        var batch = TestSessions.Container(36);
        long sent = 0, failures = 0;

        bool RunRound(int count)
        {
            failures += SendBatches(writer, batch, sink, count, burst);
            sent += count;
            return true;
        }

        var meter = new AllocationMeter
        {
            // A sink completing on the pool costs two thread wake-ups a batch: milliseconds each on a loaded machine.
            BatchesPerRound = sinkCompletesAsynchronously ? 512 : 4096,
            AllocatedElsewhere = () => sink.AllocatedByContinuations,
        };
        var measurement = await meter.MeasureThreadAsync(RunRound);

        output.WriteLine(measurement.ToString());
        Assert.Equal(0, failures);
        Assert.False(measurement.AllocatesPerBatch, measurement.ToString());
        var stats = counters.GetSnapshot();
        Assert.Equal(sent, stats.NetSentPackets);
        Assert.Equal(stats.KernelSentBytes, sink.Bytes);
        Assert.Equal(0, stats.Dropped);
    }

    /// <summary>
    /// Writes <paramref name="count"/> batches, <paramref name="burst"/> at a time, waiting for each burst to be
    /// delivered. No assertion in here: asserting can allocate. Returns how many writes or waits went wrong.
    /// </summary>
    private static int SendBatches(ISessionBatchWriter writer, byte[] batch, SignallingSink sink, int count, int burst)
    {
        int failures = 0;
        for (int written = 0; written < count; written += burst)
        {
            for (int i = 0; i < burst; i++)
            {
                var result = writer.WriteAsync(batch, CancellationToken.None);
                if (!result.IsCompletedSuccessfully || result.Result != RelayResult.Accepted)
                {
                    failures++;
                }
            }

            for (int i = 0; i < burst; i++)
            {
                if (!sink.Delivered.Wait(TimeSpan.FromSeconds(20)))
                {
                    return failures + 1;
                }
            }
        }

        return failures;
    }
}
