using System.Diagnostics;
using System.Globalization;

namespace Joold.LoadTest;

/// <summary>Warm-up, snapshot, the measured load, wait until it all arrived (or stalled), snapshot.</summary>
internal static class LoadRun
{
    /// <summary>How long kernel B may see no new batch before the rest counts as lost.</summary>
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>How long one batch of a sequential run may take before it counts as lost.</summary>
    private static readonly TimeSpan SequentialTimeout = TimeSpan.FromSeconds(1);

    public static async Task<LoadResult> RunAsync(ILoadRig rig, LoadOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        // Load runs would otherwise keep every netlink message the fakes receive.
        await rig.KernelA.CommandAsync("record off", cancellationToken).ConfigureAwait(false);
        await rig.KernelB.CommandAsync("record off", cancellationToken).ConfigureAwait(false);

        if (options.Warmup > 0)
        {
            progress($"warm-up: {options.Warmup} paced batches");
            long start = BatchesAtB(await rig.KernelB.GetStatsAsync(cancellationToken).ConfigureAwait(false), options.SessionsPerBatch);
            await rig.KernelA.CommandAsync(Command("load", options.Warmup, options.SessionsPerBatch), cancellationToken).ConfigureAwait(false);
            long reached = await WaitForKernelBAsync(rig, start + options.Warmup, options.SessionsPerBatch, cancellationToken).ConfigureAwait(false);
            if (reached == start)
            {
                throw new InvalidOperationException($"The warm-up stalled: kernel B got none of {options.Warmup} batches.\n{rig.DaemonLogs()}");
            }

            if (reached < start + options.Warmup)
            {
                // A daemon that drops under load (C joold's small buffers on a busy machine) is measured all the same.
                progress($"warm-up: kernel B got {reached - start} of {options.Warmup} batches; measuring anyway");
            }
        }

        // Room for every measured batch and the warm-up's stragglers; the fakes stop noting when full.
        string stampsOn = string.Create(CultureInfo.InvariantCulture, $"stamps {options.Batches + 1000}");
        await rig.KernelA.CommandAsync(stampsOn, cancellationToken).ConfigureAwait(false);
        await rig.KernelB.CommandAsync(stampsOn, cancellationToken).ConfigureAwait(false);
        var before = await Snapshot.TakeAsync(rig, cancellationToken).ConfigureAwait(false);
        progress($"measuring: {options.Batches} {options.Mode.ToString().ToLowerInvariant()} batches of {options.SessionsPerBatch} sessions");
        var clock = Stopwatch.StartNew();
        int failed = 0;
        if (options.Mode == LoadMode.Paced)
        {
            await rig.KernelA.CommandAsync(Command("load", options.Batches, options.SessionsPerBatch), cancellationToken).ConfigureAwait(false);
            await WaitForKernelBAsync(rig, BatchesAtB(before.KernelB, options.SessionsPerBatch) + options.Batches, options.SessionsPerBatch, cancellationToken).ConfigureAwait(false);
        }
        else if (options.Mode == LoadMode.Sequential)
        {
            failed += await RunSequentialAsync(rig, options, BatchesAtB(before.KernelB, options.SessionsPerBatch), cancellationToken).ConfigureAwait(false);
            await WaitForKernelBAsync(rig, BatchesAtB(before.KernelB, options.SessionsPerBatch) + options.Batches, options.SessionsPerBatch, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            for (int sent = 0; sent < options.Batches;)
            {
                int size = Math.Min(options.BurstSize, options.Batches - sent);
                var lines = await rig.KernelA.CommandAsync(Command("burst", size, options.SessionsPerBatch), cancellationToken).ConfigureAwait(false);
                failed += ParseFailed(lines);
                sent += size;
                await WaitForKernelBAsync(rig, BatchesAtB(before.KernelB, options.SessionsPerBatch) + sent, options.SessionsPerBatch, cancellationToken).ConfigureAwait(false);
            }
        }

        clock.Stop();
        var after = await Snapshot.TakeAsync(rig, cancellationToken).ConfigureAwait(false);
        var memoryA = MemorySample.Read(rig.DaemonAProcessId);
        var memoryB = MemorySample.Read(rig.DaemonBProcessId);
        var latency = Latency.FromStamps(
            await rig.KernelA.CommandAsync("stamps off", cancellationToken).ConfigureAwait(false),
            await rig.KernelB.CommandAsync("stamps off", cancellationToken).ConfigureAwait(false));
        return new LoadResult(options, rig.Description, before, after, clock.Elapsed, failed)
        {
            MemoryA = memoryA,
            MemoryB = memoryB,
            Latency = latency,
            ReadyA = rig.ReadyA,
            ReadyB = rig.ReadyB,
        };
    }

    /// <summary>
    /// <see cref="LoadMode.Sequential"/>: one batch multicast (a burst of one), then a wait (polled every
    /// millisecond) until kernel B has it, or <see cref="SequentialTimeout"/>, after which it counts as lost and the
    /// next one goes. Returns how many sends failed.
    /// </summary>
    private static async Task<int> RunSequentialAsync(ILoadRig rig, LoadOptions options, long received, CancellationToken cancellationToken)
    {
        int failed = 0;
        for (int i = 0; i < options.Batches; i++)
        {
            failed += ParseFailed(await rig.KernelA.CommandAsync(Command("burst", 1, options.SessionsPerBatch), cancellationToken).ConfigureAwait(false));
            var wait = Stopwatch.StartNew();
            long now;
            while ((now = BatchesAtB(await rig.KernelB.GetStatsAsync(cancellationToken).ConfigureAwait(false), options.SessionsPerBatch)) <= received && wait.Elapsed < SequentialTimeout)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            received = now;
        }

        return failed;
    }

    /// <summary>
    /// Polls kernel B's batches (<see cref="BatchesAtB"/>) until they reach <paramref name="target"/> or stop moving for
    /// <see cref="StallTimeout"/>; returns the last value (the caller compares). The time of the last change is
    /// what counts, so a stall does not inflate the elapsed time much.
    /// </summary>
    private static async Task<long> WaitForKernelBAsync(ILoadRig rig, long target, int sessionsPerBatch, CancellationToken cancellationToken)
    {
        long last = -1;
        var sinceChange = Stopwatch.StartNew();
        while (true)
        {
            long now = BatchesAtB(await rig.KernelB.GetStatsAsync(cancellationToken).ConfigureAwait(false), sessionsPerBatch);
            if (now >= target)
            {
                return now;
            }

            if (now != last)
            {
                last = now;
                sinceChange.Restart();
            }
            else if (sinceChange.Elapsed > StallTimeout)
            {
                return now;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Command(string name, int batches, int sessionsPerBatch) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} {batches} {sessionsPerBatch}");

    /// <summary>The "failed=N" of the fake's "burst sent=N failed=M" line.</summary>
    private static int ParseFailed(IReadOnlyList<string> lines)
    {
        foreach (string line in lines)
        {
            int at = line.IndexOf("failed=", StringComparison.Ordinal);
            if (line.StartsWith("burst ", StringComparison.Ordinal) && at >= 0)
            {
                return int.Parse(line.AsSpan(at + "failed=".Length), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    /// <summary>
    /// Batches kernel B received, from its sessions (SssRcvd): Joold coalesces peer batches that queued up into one
    /// JOOLD_ADD, so Jool's per-ADD counter (PktRcvd) counts fewer than the batches relayed.
    /// </summary>
    internal static long BatchesAtB(FakeKernel.JooldKernelStats stats, int sessionsPerBatch) => stats.SssRcvd / sessionsPerBatch;
}
