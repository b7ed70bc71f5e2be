using Joold.Core.Tests.Sessions;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Core.Tests.Relay;

/// <summary>
/// The hot path allocates nothing per batch in steady state. Allocation is counted for the whole process (the pump
/// runs on other threads), so these tests run alone and allow a small constant for one-time costs and whatever
/// the test runner does meanwhile (measured: 0 to 22 KB). One allocation per batch would be at least 24 bytes
/// times the batch count, 240 KB; a sink that completes later once cost 136 bytes per batch (1.4 MB here).
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public class RelayAllocationTests
{
    private const int WarmUpBatches = 2_048;
    private const int MeasuredBatches = 10_240;
    private const long AllowedBytes = 96 * 1024;

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
        var batch = Containers.Batch(36);

        // A dedicated thread writes and waits, so blocking it never makes the thread pool (where the pump runs)
        // inject threads, whose creation would be counted too.
        int warmUpFailures = 0, failures = 0;
        long allocated = 0;
        var writing = new Thread(() =>
        {
            warmUpFailures = SendBatches(writer, batch, sink, WarmUpBatches, burst);
            long before = GC.GetTotalAllocatedBytes(precise: true);
            failures = SendBatches(writer, batch, sink, MeasuredBatches, burst);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        });
        writing.Start();
        writing.Join();

        Assert.Equal(0, warmUpFailures);
        Assert.Equal(0, failures);
        TestContext.Current.TestOutputHelper?.WriteLine($"{MeasuredBatches} batches allocated {allocated} bytes in all.");
        Assert.True(
            allocated < AllowedBytes,
            $"{MeasuredBatches} batches allocated {allocated} bytes ({(double)allocated / MeasuredBatches:0.##} per batch).");
        var stats = counters.GetSnapshot();
        Assert.Equal(WarmUpBatches + MeasuredBatches, stats.NetSentPackets);
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
