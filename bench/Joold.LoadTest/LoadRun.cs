using System.Globalization;

namespace Joold.LoadTest;

/// <summary>Warm-up, snapshot, the measured load, wait until it all arrived (or stopped coming), snapshot.</summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(ILoadRig rig, LoadOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        // Load runs would otherwise keep every netlink message the fakes receive.
        await rig.KernelA.CommandAsync("record off", cancellationToken).ConfigureAwait(false);
        await rig.KernelB.CommandAsync("record off", cancellationToken).ConfigureAwait(false);
        string warmup = await Warmup.RunAsync(rig, options, progress, cancellationToken).ConfigureAwait(false);
        progress(warmup);

        // Room for every measured batch and the warm-up's stragglers; the fakes stop noting when full.
        string stampsOn = string.Create(CultureInfo.InvariantCulture, $"stamps {options.Batches + 1000}");
        await rig.KernelA.CommandAsync(stampsOn, cancellationToken).ConfigureAwait(false);
        await rig.KernelB.CommandAsync(stampsOn, cancellationToken).ConfigureAwait(false);
        var before = await Snapshot.TakeAsync(rig, cancellationToken).ConfigureAwait(false);
        progress(string.Create(CultureInfo.InvariantCulture, $"measuring: {options.Batches} {Describe(options)} batches of {options.SessionsPerBatch} sessions"));
        var drive = await LoadDriver.RunAsync(rig, options.Mode, options.Batches, options, cancellationToken).ConfigureAwait(false);
        var after = await Snapshot.TakeAsync(rig, cancellationToken).ConfigureAwait(false);
        var memoryA = MemorySample.Read(rig.DaemonAProcessId);
        var memoryB = MemorySample.Read(rig.DaemonBProcessId);
        var latency = Latency.FromStamps(
            await rig.KernelA.CommandAsync("stamps off", cancellationToken).ConfigureAwait(false),
            await rig.KernelB.CommandAsync("stamps off", cancellationToken).ConfigureAwait(false));
        return new LoadResult(options, rig.Description, before, after, drive.Elapsed, drive.FailedSends)
        {
            MemoryA = memoryA,
            MemoryB = memoryB,
            Latency = latency,
            ReadyA = rig.ReadyA,
            ReadyB = rig.ReadyB,
            Warmup = warmup,
        };
    }

    /// <summary>"paced", "rate 1000/s", ...</summary>
    public static string Describe(LoadOptions options) => options.Mode == LoadMode.Rate
        ? string.Create(CultureInfo.InvariantCulture, $"rate {options.Rate}/s")
        : options.Mode.ToString().ToLowerInvariant();
}
