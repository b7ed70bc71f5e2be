using System.Diagnostics;
using System.Globalization;

namespace Joold.LoadTest;

/// <summary>
/// Emits batches of one load shape from kernel A and waits until kernel B has them all, or they stopped coming:
/// used by the warm-up's windows and the measured phase alike.
/// </summary>
internal static class LoadDriver
{
    /// <summary>How long kernel B may see no new batch, while kernel A is still sending, before the rest counts as lost.</summary>
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Once kernel A sent everything: how long kernel B may see nothing new before the rest counts as lost.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Kernel B's counter is polled this often; a quiet spell this long also asks kernel A whether it is done.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    private static readonly TimeSpan QuietSpell = TimeSpan.FromMilliseconds(100);

    /// <summary>How long one batch of a sequential run may take before it counts as lost.</summary>
    private static readonly TimeSpan SequentialTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Emits <paramref name="batches"/> batches as <paramref name="mode"/> says (sizes and rate from
    /// <paramref name="options"/>) and waits for kernel B. The elapsed time ends at kernel B's last new batch.
    /// </summary>
    public static async Task<Drive> RunAsync(ILoadRig rig, LoadMode mode, int batches, LoadOptions options, CancellationToken cancellationToken)
    {
        long sent = (await rig.KernelA.GetStatsAsync(cancellationToken).ConfigureAwait(false)).PktSent;
        long received = BatchesAtB(await rig.KernelB.GetStatsAsync(cancellationToken).ConfigureAwait(false), options.SessionsPerBatch);
        var clock = Stopwatch.StartNew();
        int failed = 0;
        TimeSpan lastArrival;
        long reached;
        switch (mode)
        {
            case LoadMode.Paced:
                await rig.KernelA.CommandAsync(Command("load", batches, options.SessionsPerBatch), cancellationToken).ConfigureAwait(false);
                (reached, lastArrival) = await WaitAsync(rig, sent + batches, received + batches, options.SessionsPerBatch, clock, cancellationToken).ConfigureAwait(false);
                break;
            case LoadMode.Rate:
                await rig.KernelA.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"rate {batches} {options.SessionsPerBatch} {options.Rate}"), cancellationToken).ConfigureAwait(false);
                (reached, lastArrival) = await WaitAsync(rig, sent + batches, received + batches, options.SessionsPerBatch, clock, cancellationToken).ConfigureAwait(false);
                break;
            case LoadMode.Sequential:
                failed += await RunSequentialAsync(rig, batches, options.SessionsPerBatch, received, cancellationToken).ConfigureAwait(false);
                (reached, lastArrival) = await WaitAsync(rig, sent + batches, received + batches, options.SessionsPerBatch, clock, cancellationToken).ConfigureAwait(false);
                break;
            default:
                (reached, lastArrival) = (received, TimeSpan.Zero);
                for (int done = 0; done < batches;)
                {
                    int size = Math.Min(Math.Max(options.BurstSize, 1), batches - done);
                    failed += ParseFailed(await rig.KernelA.CommandAsync(Command("burst", size, options.SessionsPerBatch), cancellationToken).ConfigureAwait(false));
                    done += size;
                    (reached, lastArrival) = await WaitAsync(rig, sent + done, received + done, options.SessionsPerBatch, clock, cancellationToken).ConfigureAwait(false);
                }

                break;
        }

        long sentNow = (await rig.KernelA.GetStatsAsync(cancellationToken).ConfigureAwait(false)).PktSent;
        return new Drive(sentNow - sent, reached - received, lastArrival, failed);
    }

    /// <summary>
    /// Polls kernel B's batches (<see cref="BatchesAtB"/>) until they reach <paramref name="receivedTarget"/> or stops moving (<see
    /// cref="DrainTimeout"/> once kernel A reached <paramref name="sentTarget"/>, <see cref="StallTimeout"/> before).
    /// Returns the last value and the time of its last change on <paramref name="clock"/>.
    /// </summary>
    private static async Task<(long Reached, TimeSpan LastArrival)> WaitAsync(ILoadRig rig, long sentTarget, long receivedTarget, int sessionsPerBatch, Stopwatch clock, CancellationToken cancellationToken)
    {
        long last = -1;
        var lastChange = clock.Elapsed;
        while (true)
        {
            EnsureDaemonsRun(rig);
            long now = BatchesAtB(await rig.KernelB.GetStatsAsync(cancellationToken).ConfigureAwait(false), sessionsPerBatch);
            if (now != last)
            {
                last = now;
                lastChange = clock.Elapsed;
            }

            if (now >= receivedTarget)
            {
                return (now, lastChange);
            }

            var quiet = clock.Elapsed - lastChange;
            if (quiet > QuietSpell)
            {
                bool allSent = (await rig.KernelA.GetStatsAsync(cancellationToken).ConfigureAwait(false)).PktSent >= sentTarget;
                if ((allSent && quiet > DrainTimeout) || quiet > StallTimeout)
                {
                    return (now, lastChange);
                }
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <see cref="LoadMode.Sequential"/>: one batch multicast (a burst of one), then a wait (polled every
    /// millisecond) until kernel B has it, or <see cref="SequentialTimeout"/>, after which it counts as lost and the
    /// next one goes. Returns how many sends failed.
    /// </summary>
    private static async Task<int> RunSequentialAsync(ILoadRig rig, int batches, int sessionsPerBatch, long received, CancellationToken cancellationToken)
    {
        int failed = 0;
        for (int i = 0; i < batches; i++)
        {
            failed += ParseFailed(await rig.KernelA.CommandAsync(Command("burst", 1, sessionsPerBatch), cancellationToken).ConfigureAwait(false));
            var wait = Stopwatch.StartNew();
            long now;
            while ((now = BatchesAtB(await rig.KernelB.GetStatsAsync(cancellationToken).ConfigureAwait(false), sessionsPerBatch)) <= received && wait.Elapsed < SequentialTimeout)
            {
                EnsureDaemonsRun(rig);
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            received = now;
        }

        return failed;
    }

    /// <summary>A daemon that exited (a failed start, a crash) ends the run now, not after its batches time out one by one.</summary>
    private static void EnsureDaemonsRun(ILoadRig rig)
    {
        if (!rig.DaemonsRunning)
        {
            throw new InvalidOperationException($"A daemon exited during the run.\n{rig.DaemonLogs()}");
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

    /// <summary>What one drive did: batches kernel A sent and kernel B got, until kernel B's last one, failed sends.</summary>
    internal readonly record struct Drive(long Sent, long Received, TimeSpan Elapsed, int FailedSends)
    {
        /// <summary>Batches kernel B got per second.</summary>
        public double ReceivedPerSecond => Elapsed > TimeSpan.Zero ? Received / Elapsed.TotalSeconds : double.NaN;
    }

    /// <summary>
    /// Batches kernel B received, from its sessions (SssRcvd): Joold coalesces peer batches that queued up into one
    /// JOOLD_ADD, so Jool's per-ADD counter (PktRcvd) counts fewer than the batches relayed.
    /// </summary>
    internal static long BatchesAtB(FakeKernel.JooldKernelStats stats, int sessionsPerBatch) => stats.SssRcvd / sessionsPerBatch;
}
