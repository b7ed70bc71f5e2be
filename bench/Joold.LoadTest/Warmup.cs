using System.Diagnostics;
using System.Globalization;

namespace Joold.LoadTest;

/// <summary>
/// Before measuring: load the daemons as the measurement will (a burst scenario warms up paced) until they run in
/// their steady state: .NET's tiered JIT recompiles hot methods during the first seconds (a thread that comes and
/// goes), and a short warm-up measured that instead. Windows of about <see cref="Window"/> each; done once at least
/// <see cref="MinimumDuration"/> passed and the last <see cref="SettledWindows"/> windows' CPU per batch (exact
/// CPU clock) agree within <see cref="Tolerance"/> on both daemons, or after <see cref="MaximumDuration"/>.
/// </summary>
internal static class Warmup
{
    public static readonly TimeSpan MinimumDuration = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan MaximumDuration = TimeSpan.FromSeconds(8);

    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(500);

    public const int SettledWindows = 3;

    /// <summary>Relative spread (max − min over the median) allowed between the last windows.</summary>
    public const double Tolerance = 0.10;

    /// <summary>Below this spread, in µs per batch, windows agree whatever their ratio (tiny figures).</summary>
    public const double AbsoluteToleranceMicroseconds = 0.5;

    /// <summary>Runs the warm-up; returns one line that says what it did, for the report.</summary>
    public static async Task<string> RunAsync(ILoadRig rig, LoadOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var mode = options.Mode == LoadMode.Burst ? LoadMode.Paced : options.Mode;
        if (options.WarmupBatches is int fixedBatches)
        {
            if (fixedBatches == 0)
            {
                return "no warm-up";
            }

            progress($"warm-up: {fixedBatches} {Name(mode)} batches");
            var drive = await LoadDriver.RunAsync(rig, mode, fixedBatches, options, cancellationToken).ConfigureAwait(false);
            CheckNotStalled(rig, drive, fixedBatches);
            return string.Create(CultureInfo.InvariantCulture, $"warm-up: {fixedBatches} {Name(mode)} batches (kernel B got {drive.Received})");
        }

        progress($"warm-up: {Name(mode)} until the CPU per batch settles ({MinimumDuration.TotalSeconds:F0} to {MaximumDuration.TotalSeconds:F0} s)");
        var windows = new List<(double A, double B)>();
        var clock = Stopwatch.StartNew();
        int chunk = FirstChunk(mode, options.Rate);
        long total = 0;
        while (true)
        {
            var a = CpuSample.Read(rig.DaemonAProcessId);
            var b = CpuSample.Read(rig.DaemonBProcessId);
            var drive = await LoadDriver.RunAsync(rig, mode, chunk, options, cancellationToken).ConfigureAwait(false);
            CheckNotStalled(rig, drive, chunk);
            double perA = (CpuSample.Read(rig.DaemonAProcessId) - a).Microseconds / Math.Max(drive.Sent, 1);
            double perB = (CpuSample.Read(rig.DaemonBProcessId) - b).Microseconds / Math.Max(drive.Received, 1);
            windows.Add((perA, perB));
            total += drive.Sent;
            bool settled = Settled(windows);
            if ((settled && clock.Elapsed >= MinimumDuration) || clock.Elapsed >= MaximumDuration)
            {
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"warm-up: {clock.Elapsed.TotalSeconds:F1} s, {total} {Name(mode)} batches in {windows.Count} windows, {(settled ? "settled" : "NOT settled")}: last windows A {Last(windows, w => w.A)}, B {Last(windows, w => w.B)} µs/batch");
            }

            chunk = NextChunk(drive.ReceivedPerSecond);
        }
    }

    /// <summary>Whether the last <see cref="SettledWindows"/> windows agree on both daemons' CPU per batch.</summary>
    public static bool Settled(IReadOnlyList<(double A, double B)> windows)
    {
        if (windows.Count < SettledWindows)
        {
            return false;
        }

        var last = windows.Skip(windows.Count - SettledWindows).ToList();
        return Agree(last.Select(w => w.A)) && Agree(last.Select(w => w.B));
    }

    /// <summary>Batches for the next window at the rate just seen: about <see cref="Window"/>, 50 to 200,000.</summary>
    public static int NextChunk(double batchesPerSecond) =>
        double.IsNaN(batchesPerSecond) || batchesPerSecond <= 0
            ? 50
            : (int)Math.Clamp(batchesPerSecond * Window.TotalSeconds, 50, 200_000);

    /// <summary>The first window, before any rate was seen: small enough to take well under a second.</summary>
    public static int FirstChunk(LoadMode mode, int rate) => mode switch
    {
        LoadMode.Rate => NextChunk(rate),
        LoadMode.Sequential => 200,
        _ => 1_000,
    };

    private static bool Agree(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        double spread = sorted[^1] - sorted[0];
        return spread <= AbsoluteToleranceMicroseconds || spread <= Tolerance * Statistics.Median(sorted);
    }

    private static string Last(List<(double A, double B)> windows, Func<(double A, double B), double> side) =>
        string.Join("/", windows.Skip(Math.Max(0, windows.Count - SettledWindows)).Select(w => side(w).ToString("F1", CultureInfo.InvariantCulture)));

    private static void CheckNotStalled(ILoadRig rig, LoadDriver.Drive drive, int batches)
    {
        if (drive.Received == 0)
        {
            throw new InvalidOperationException($"The warm-up stalled: kernel B got none of {batches} batches.\n{rig.DaemonLogs()}");
        }
    }

    private static string Name(LoadMode mode) => mode.ToString().ToLowerInvariant();
}
