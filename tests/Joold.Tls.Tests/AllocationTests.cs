using System.Diagnostics;
using Joold.Relay;
using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection
{
}

/// <summary>
/// Steady traffic allocates nothing per batch: the sink's queue copy, the TLS write, the peer's read, the
/// hand-over to the relay, its ACK and the release of the queued copy. Allocation is measured process-wide, so
/// this runs alone, with optimized code from the start (the project turns tiered compilation off). Rounds repeat
/// until one is clean, to ride out runtime background work; the bound is far below one object per batch.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests(ITestOutputHelper output)
{
    private const int RoundSize = 1000;
    private const long AllowedBytesPerRound = RoundSize * 8;
    private static readonly TimeSpan MeasureFor = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sending_a_batch_over_TLS_and_its_acknowledgement_allocate_nothing()
    {
        using var pki = new TestPki();
        var counting = new CountingWriter();
        await using var receiver = await TlsNode.StartAsync(pki.Issue("receiver"), writer: counting);
        await using var sender = await TlsNode.StartAsync(pki.Issue("sender"), listen: null, peers: [receiver.Address]);
        await sender.WaitConnectedAsync();
        var batch = new SessionBatch(TestSessions.Unique(36), SessionSide.Local);
        var token = TestContext.Current.CancellationToken;

        bool Step()
        {
            var sent = sender.Transport.SendAsync(batch, token);
            bool queued = sent.IsCompletedSuccessfully && sent.Result;
            return queued && counting.WaitForNext(5000);
        }

        bool Round()
        {
            bool all = true;
            for (int i = 0; i < RoundSize; i++)
            {
                all &= Step();
            }

            return all;
        }

        Assert.True(await Task.Run(Round, token).WithTimeout("the warm-up round"));
        long least = long.MaxValue;
        var clock = Stopwatch.StartNew();
        for (int round = 1; least >= AllowedBytesPerRound && clock.Elapsed < MeasureFor; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            Assert.True(await Task.Run(Round, token).WithTimeout($"measured round {round}"));
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        await Eventually.WaitAsync(() => sender.Transport.Peers.Single().Queued == 0, "every batch acknowledged");
        output.WriteLine($"{least} bytes allocated for {RoundSize} batches in the best round");
        Assert.True(least < AllowedBytesPerRound, $"{least} bytes allocated for {RoundSize} batches in the best round");
    }

    /// <summary>Takes every batch and counts it; the test waits for each with a blocking wait, which allocates nothing.</summary>
    private sealed class CountingWriter : ISessionBatchWriter
    {
        private readonly SemaphoreSlim _arrived = new(0);

        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
        {
            _arrived.Release();
            return ValueTask.FromResult(RelayResult.Accepted);
        }

        public bool WaitForNext(int timeoutMilliseconds) => _arrived.Wait(timeoutMilliseconds, TestContext.Current.CancellationToken);
    }
}
