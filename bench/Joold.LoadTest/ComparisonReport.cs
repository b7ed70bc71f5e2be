using System.Globalization;
using System.Text;

namespace Joold.LoadTest;

/// <summary>The comparison's tables: per scenario the medians over rounds of C joold and Joold and their ratio.</summary>
internal static class ComparisonReport
{
    /// <summary>One line per run, printed as it ends.</summary>
    public static string Describe(RoundResult run)
    {
        if (run.Result is not { } r)
        {
            return $"  {run.Daemon} FAILED: {run.Failure}";
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"  {run.Daemon}: A {Metric.CpuA.Of(r):F1} µs/batch (ticks {Metric.TicksA.Of(r):F1}, {Metric.SwitchesA.Of(r):F2} ctx sw), B {Metric.CpuB.Of(r):F1} µs/batch (ticks {Metric.TicksB.Of(r):F1}, {Metric.SwitchesB.Of(r):F2} ctx sw), lost {r.BatchesLost} (UDP RcvbufErrors in B's namespace {r.DropsB.UdpReceiveBufferErrors}, netlink drops A/B {r.DropsA.NetlinkDrops}/{r.DropsB.NetlinkDrops}), {r.SentPerSecond:F0} batches/s sent, latency p50/p99/max {r.Latency.P50:F0}/{r.Latency.P99:F0}/{r.Latency.Max:F0} µs, VmHWM A/B {r.MemoryA.PeakResidentMib:F1}/{r.MemoryB.PeakResidentMib:F1} MiB, RssAnon A/B {r.MemoryA.PrivateResidentMib:F1}/{r.MemoryB.PrivateResidentMib:F1} MiB, ready A/B {r.ReadyA?.TotalMilliseconds:F0}/{r.ReadyB?.TotalMilliseconds:F0} ms; load average {run.LoadAverage}");
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
            foreach (var metric in Metric.All)
            {
                double cValue = metric.Median(c);
                double jValue = metric.Median(joold);
                Line($"| {metric.Label} | {Number(cValue, metric.Format)} | {Number(jValue, metric.Format)} | {Number(Statistics.Ratio(jValue, cValue), "F2")} |");
            }

            foreach (string warmup in runs.Where(r => r.Scenario == scenario && r.Result is not null).Select(r => $"{r.Daemon} round {r.Round}: {r.Result!.Warmup}"))
            {
                Line($"- {warmup}");
            }

            foreach (var failed in runs.Where(r => r.Scenario == scenario && r.Result is null))
            {
                Line($"Round {failed.Round} of {failed.Daemon} failed: {failed.Failure}");
            }
        }

        return text.ToString();
    }

    /// <summary>The successful runs of one scenario by C joold (<paramref name="reference"/>) or Joold.</summary>
    public static List<LoadResult> Successful(IReadOnlyList<RoundResult> runs, Scenario scenario, bool reference) =>
        [.. runs.Where(r => r.Scenario == scenario && (r.Daemon != DaemonFlavor.Joold.Name) == reference && r.Result is not null).Select(r => r.Result!)];

    /// <summary>A figure in the metric's format, thousands separated; "–" for NaN.</summary>
    public static string Number(double value, string format) =>
        double.IsNaN(value) ? "–" : value.ToString(format.Replace("F", "N", StringComparison.Ordinal), CultureInfo.InvariantCulture);
}
