using System.Diagnostics;

namespace Joold.Testing;

/// <summary>
/// Tells "allocates per batch" from "allocated once" for a hot path, reliably on a machine busy with other work.
/// <para>
/// The test hands in a round: a callback that pushes <c>count</c> batches through the code under test and waits
/// until they are done. The meter runs rounds on a thread of its own (so the test's blocking waits never make the
/// thread pool inject threads), warms up until tiered compilation has settled, then measures
/// <see cref="MeasuredRounds"/> rounds and judges the median one. A path that allocates per batch allocates at
/// least 24 bytes (the smallest object) for each batch it allocates for, in every round, so the median round shows
/// it; a one-off cost (a thread the pool creates, a timer, the test runner reporting) lands in one or two rounds,
/// not in most, and the median round does not show it. The least round would not do: a path that allocates in
/// most rounds but not all (a pooled object that only sometimes misses its cache) must fail.
/// </para>
/// <para>Two ways to count, use the narrowest that sees the whole path:</para>
/// <list type="bullet">
/// <item><see cref="MeasureThreadAsync"/>: <see cref="GC.GetAllocatedBytesForCurrentThread"/> on the meter's
/// thread, which sees only the code under test, so other work in the process cannot disturb it. Exact where the
/// path is synchronous. Where part of it runs on another thread (a sink that completes later on the thread pool),
/// the test measures that part itself (the same counter, read around the call on that thread) and hands the running
/// total in as <see cref="AllocatedElsewhere"/>.</item>
/// <item><see cref="MeasureProcessAsync"/>: <see cref="GC.GetTotalAllocatedBytes(bool)"/> (precise), for paths
/// that hop threads the test cannot instrument (socket completions). It counts every thread, so the test must run
/// alone (a collection with parallelization disabled) and relies on the median rule against the rest.</item>
/// </list>
/// </summary>
public sealed class AllocationMeter
{
    private const int LastWarmUpRoundsKept = 5;

    /// <summary>Batches per round. Defaults to 4096: with the default bound, 16 KiB a round.</summary>
    public int BatchesPerRound { get; init; } = 4096;

    /// <summary>Rounds measured after the warm-up. Defaults to 5.</summary>
    public int MeasuredRounds { get; init; } = 5;

    /// <summary>
    /// The bound, in bytes per batch: a round that allocated this much times <see cref="BatchesPerRound"/> or more
    /// allocated per batch. Defaults to 4, one object (24 bytes or more) every six batches, while anything one-off
    /// stays far below it.
    /// </summary>
    public double BytesPerBatch { get; init; } = 4;

    /// <summary>
    /// Warm-up time at least. Defaults to 2 s: tiered compilation promotes a method once it has been called 30
    /// times and 100 ms have passed without new tier-0 code (tier 0, then instrumented tier 1 for PGO, then tier 1;
    /// loops go through OSR), and a busy machine delays the background compiler.
    /// </summary>
    public TimeSpan MinimumWarmUp { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Warm-up time at most. Defaults to 30 s. The warm-up ends earlier, after <see cref="MinimumWarmUp"/>, once two
    /// rounds in a row stayed under the bound; a path that keeps allocating uses it all and then fails.
    /// </summary>
    public TimeSpan MaximumWarmUp { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// For <see cref="MeasureThreadAsync"/>: the running total of bytes the code under test allocated on threads
    /// other than the meter's, as the test measured them there. Read before and after each round; must not allocate.
    /// </summary>
    public Func<long>? AllocatedElsewhere { get; init; }

    /// <summary>The bound for one round, in bytes.</summary>
    public long BoundPerRound => (long)(BatchesPerRound * BytesPerBatch);

    /// <summary>
    /// Counts what the meter's own thread allocates (plus <see cref="AllocatedElsewhere"/>).
    /// <paramref name="runRound"/> runs the given number of batches to completion on the calling thread and returns
    /// false when the round must not count (say, a datagram lost on a busy loopback); it must not allocate itself.
    /// </summary>
    public Task<AllocationMeasurement> MeasureThreadAsync(Func<int, bool> runRound)
    {
        ArgumentNullException.ThrowIfNull(runRound);
        var elsewhere = AllocatedElsewhere;
        Func<long> counter = elsewhere is null
            ? static () => GC.GetAllocatedBytesForCurrentThread()
            : () => GC.GetAllocatedBytesForCurrentThread() + elsewhere();
        return RunOnOwnThread(() => Measure("this thread's allocations" + (elsewhere is null ? "" : " and those the test saw elsewhere"), runRound, counter));
    }

    /// <summary>
    /// Counts what the whole process allocates during each round; the test must run alone. Otherwise as
    /// <see cref="MeasureThreadAsync"/>.
    /// </summary>
    public Task<AllocationMeasurement> MeasureProcessAsync(Func<int, bool> runRound)
    {
        ArgumentNullException.ThrowIfNull(runRound);
        return RunOnOwnThread(() => Measure("the process's allocations", runRound, static () => GC.GetTotalAllocatedBytes(precise: true)));
    }

    private AllocationMeasurement Measure(string scope, Func<int, bool> runRound, Func<long> allocatedSoFar)
    {
        if (BatchesPerRound <= 0 || MeasuredRounds <= 0)
        {
            throw new InvalidOperationException($"Rounds and batches must be positive (got {MeasuredRounds} rounds of {BatchesPerRound}).");
        }

        // Sized up front, so that nothing the meter keeps allocates while it measures.
        var lastWarmUp = new Queue<long>(LastWarmUpRoundsKept + 1);
        var clock = Stopwatch.StartNew();
        int warmUpRounds = 0, cleanInARow = 0;
        while (clock.Elapsed < MaximumWarmUp && !(clock.Elapsed >= MinimumWarmUp && cleanInARow >= 2))
        {
            var (bytes, counts) = Round(runRound, allocatedSoFar);
            warmUpRounds++;
            lastWarmUp.Enqueue(bytes);
            if (lastWarmUp.Count > LastWarmUpRoundsKept)
            {
                lastWarmUp.Dequeue();
            }

            cleanInARow = counts && bytes < BoundPerRound ? cleanInARow + 1 : 0;
        }

        var warmUpTime = clock.Elapsed;
        var measured = new List<long>(MeasuredRounds);
        int ignored = 0;

        // A round that does not count is retried, but not forever: a path that loses everything must fail.
        while (measured.Count < MeasuredRounds && ignored < 4 * MeasuredRounds)
        {
            var (bytes, counts) = Round(runRound, allocatedSoFar);
            if (counts)
            {
                measured.Add(bytes);
            }
            else
            {
                ignored++;
            }
        }

        return new AllocationMeasurement(scope, BatchesPerRound, BoundPerRound, warmUpRounds, warmUpTime, [.. lastWarmUp], measured, ignored);
    }

    private (long Bytes, bool Counts) Round(Func<int, bool> runRound, Func<long> allocatedSoFar)
    {
        long before = allocatedSoFar();
        bool counts = runRound(BatchesPerRound);
        return (allocatedSoFar() - before, counts);
    }

    /// <summary>
    /// Rounds block while they wait for delivery: on a thread of their own they neither occupy a thread-pool
    /// worker (the pool would inject threads, whose creation allocates) nor share their allocation counter.
    /// </summary>
    private static Task<AllocationMeasurement> RunOnOwnThread(Func<AllocationMeasurement> measure)
    {
        var done = new TaskCompletionSource<AllocationMeasurement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(measure());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "allocation meter",
        };
        thread.Start();
        return done.Task;
    }
}

/// <summary>What an <see cref="AllocationMeter"/> measured; its text says everything a failing assertion needs.</summary>
/// <param name="Scope">What was counted.</param>
/// <param name="BatchesPerRound">Batches in each round.</param>
/// <param name="BoundPerRound">Bytes in a round from which on the path counts as allocating per batch.</param>
/// <param name="WarmUpRounds">How many rounds the warm-up took.</param>
/// <param name="WarmUpTime">How long the warm-up took.</param>
/// <param name="LastWarmUpRounds">What the last few warm-up rounds allocated.</param>
/// <param name="Rounds">What each measured round that counted allocated.</param>
/// <param name="IgnoredRounds">Measured rounds the test said not to count.</param>
public sealed record AllocationMeasurement(
    string Scope,
    int BatchesPerRound,
    long BoundPerRound,
    int WarmUpRounds,
    TimeSpan WarmUpTime,
    IReadOnlyList<long> LastWarmUpRounds,
    IReadOnlyList<long> Rounds,
    int IgnoredRounds)
{
    /// <summary>What the median measured round allocated (the upper one of an even count).</summary>
    public long Median => Rounds.Count == 0 ? long.MaxValue : Rounds.Order().ElementAt(Rounds.Count / 2);

    /// <summary>
    /// Whether the median round reached the bound (or no round counted): the path allocates per batch, which no
    /// one-off cost explains.
    /// </summary>
    public bool AllocatesPerBatch => Median >= BoundPerRound;

    /// <inheritdoc/>
    public override string ToString()
    {
        string median = Rounds.Count == 0 ? "no round counted" : $"median {Median} bytes, {(double)Median / BatchesPerRound:0.###} per batch";
        return $"{Scope}: {Rounds.Count} rounds of {BatchesPerRound} batches allocated [{string.Join(", ", Rounds)}] bytes " +
            $"({median}; bound {BoundPerRound} a round; {IgnoredRounds} rounds not counted); " +
            $"warm-up {WarmUpRounds} rounds in {WarmUpTime.TotalSeconds:0.0} s, the last [{string.Join(", ", LastWarmUpRounds)}].";
    }
}
