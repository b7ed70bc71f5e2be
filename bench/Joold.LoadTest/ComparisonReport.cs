using System.Globalization;
using System.Text;

namespace Joold.LoadTest;

/// <summary>The comparison's tables: per scenario the medians over rounds of C joold and Joold and their ratio.</summary>
internal static class ComparisonReport
{
    private static readonly Metric[] Metrics =
    [
        new("CPU µs/batch, kernel side (A: multicast → UDP out, ACK)", r => r.CpuA.Microseconds / Math.Max(r.BatchesSent, 1), "F1"),
        new("CPU µs/batch, receiving side (B: UDP in → JOOLD_ADD)", r => r.CpuB.Microseconds / Math.Max(r.BatchesAdded, 1), "F1"),
        new("batches lost", r => r.BatchesLost, "F0"),
        new("batches/s", r => r.BatchesPerSecond, "F0"),
        new("latency p50, µs (kernel A multicast → kernel B JOOLD_ADD)", r => r.Latency.P50, "F0"),
        new("latency p99, µs", r => r.Latency.P99, "F0"),
        new("latency max, µs", r => r.Latency.Max, "F0"),
        new("peak RSS A (VmHWM), MiB", r => r.MemoryA.PeakResidentMib, "F1"),
        new("private RSS A (RssAnon), MiB", r => r.MemoryA.PrivateResidentMib, "F1"),
        new("peak RSS B (VmHWM), MiB", r => r.MemoryB.PeakResidentMib, "F1"),
        new("private RSS B (RssAnon), MiB", r => r.MemoryB.PrivateResidentMib, "F1"),
        new("start to ready A, ms", r => r.ReadyA?.TotalMilliseconds ?? double.NaN, "F0"),
        new("start to ready B, ms", r => r.ReadyB?.TotalMilliseconds ?? double.NaN, "F0"),
    ];

    /// <summary>One line per run, printed as it ends.</summary>
    public static string Describe(RoundResult run)
    {
        if (run.Result is not { } r)
        {
            return $"  {run.Daemon} FAILED: {run.Failure}";
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"  {run.Daemon}: A {Metrics[0].Of(r):F1} µs/batch, B {Metrics[1].Of(r):F1} µs/batch, lost {r.BatchesLost} (UDP RcvbufErrors in B's namespace {r.DropsB.UdpReceiveBufferErrors}, netlink drops A/B {r.DropsA.NetlinkDrops}/{r.DropsB.NetlinkDrops}), {r.BatchesPerSecond:F0} batches/s, latency p50/p99/max {r.Latency.P50:F0}/{r.Latency.P99:F0}/{r.Latency.Max:F0} µs, VmHWM A/B {r.MemoryA.PeakResidentMib:F1}/{r.MemoryB.PeakResidentMib:F1} MiB, RssAnon A/B {r.MemoryA.PrivateResidentMib:F1}/{r.MemoryB.PrivateResidentMib:F1} MiB, ready A/B {r.ReadyA?.TotalMilliseconds:F0}/{r.ReadyB?.TotalMilliseconds:F0} ms; load average {run.LoadAverage}");
    }

    public static string Format(LoadOptions options, IReadOnlyList<RoundResult> runs, string machine)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        Line(string.Create(CultureInfo.InvariantCulture, $"Joold vs C joold ({options.Reference}): medians of {options.Rounds} alternated rounds each; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {machine}."));
        Line($"Load average over the runs: {string.Join(", ", runs.Select(r => r.LoadAverage.Split(' ')[0]))} (1-minute, at the end of each run).");
        foreach (var scenario in runs.Select(r => r.Scenario).Distinct())
        {
            var c = Successful(runs, scenario, reference: true);
            var joold = Successful(runs, scenario, reference: false);
            Line("");
            Line(string.Create(CultureInfo.InvariantCulture, $"### {scenario.Title} ({scenario.Name}; {c.Count} C joold and {joold.Count} Joold runs)"));
            Line("");
            Line("| Median of the rounds | C joold | Joold | Joold / C |");
            Line("|---|---:|---:|---:|");
            foreach (var metric in Metrics)
            {
                double cValue = Statistics.Median(c.Select(metric.Of));
                double jValue = Statistics.Median(joold.Select(metric.Of));
                Line($"| {metric.Label} | {Number(cValue, metric.Format)} | {Number(jValue, metric.Format)} | {Number(Statistics.Ratio(jValue, cValue), "F2")} |");
            }

            foreach (var failed in runs.Where(r => r.Scenario == scenario && r.Result is null))
            {
                Line($"Round {failed.Round} of {failed.Daemon} failed: {failed.Failure}");
            }
        }

        Line("");
        Line(Summary(runs));
        return text.ToString();
    }

    /// <summary>All scenarios in one table (the README's): C → Joold (ratio) for the main figures.</summary>
    private static string Summary(IReadOnlyList<RoundResult> runs)
    {
        var text = new StringBuilder();
        text.Append("| Scenario | CPU A µs/batch | CPU B µs/batch | lost | latency p50 µs | latency p99 µs | VmHWM A MiB | RssAnon A MiB | ready A ms |\n");
        text.Append("|---|---|---|---|---|---|---|---|---|\n");
        int[] columns = [0, 1, 2, 4, 5, 7, 8, 11];
        foreach (var scenario in runs.Select(r => r.Scenario).Distinct())
        {
            var c = Successful(runs, scenario, reference: true);
            var joold = Successful(runs, scenario, reference: false);
            text.Append("| ").Append(scenario.Name);
            foreach (int column in columns)
            {
                var metric = Metrics[column];
                double cValue = Statistics.Median(c.Select(metric.Of));
                double jValue = Statistics.Median(joold.Select(metric.Of));
                double ratio = Statistics.Ratio(jValue, cValue);
                text.Append(" | ").Append(c.Count == 0
                    ? Number(jValue, metric.Format)
                    : $"{Number(cValue, metric.Format)} → {Number(jValue, metric.Format)}{(double.IsNaN(ratio) ? "" : $" (×{Number(ratio, "F2")})")}");
            }

            text.Append(" |\n");
        }

        return text.ToString();
    }

    private static List<LoadResult> Successful(IReadOnlyList<RoundResult> runs, Scenario scenario, bool reference) =>
        [.. runs.Where(r => r.Scenario == scenario && (r.Daemon != DaemonFlavor.Joold.Name) == reference && r.Result is not null).Select(r => r.Result!)];

    private static string Number(double value, string format) =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private sealed record Metric(string Label, Func<LoadResult, double> Of, string Format);
}
