using System.Globalization;
using System.Text;

namespace Joold.LoadTest;

/// <summary>
/// The comparison's last section, ready for the README: when, where and under what load it was measured, one
/// table row per scenario (C joold → Joold medians, with Joold / C ratios for the CPU), and the .NET floor.
/// </summary>
internal static class ReadmeSummary
{
    public static string Format(LoadOptions options, IReadOnlyList<RoundResult> runs, string machine, string commit, string floor, DateTime utcNow)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        double[] loads = [.. runs.Select(r => ParseLoad(r.LoadAverage)).Where(l => !double.IsNaN(l)).Order()];
        string load = loads.Length == 0
            ? "unknown"
            : string.Create(CultureInfo.InvariantCulture, $"{loads[0]:F1} to {loads[^1]:F1} (median {Statistics.Median(loads):F1})");
        Line("### Summary for the README");
        Line("");
        Line(string.Create(
            CultureInfo.InvariantCulture,
            $"Measured {utcNow:yyyy-MM-dd HH:mm} UTC on {machine}; Joold at {commit}, C joold from `{options.Reference}`; {options.Rounds} alternated rounds per scenario, medians; 1-minute load average {load} during the runs. CPU is each daemon's exact CPU time (its process CPU clock, every thread) per batch; \"sent/s\" is kernel A's send rate; latency is kernel A's multicast to kernel B's JOOLD_ADD."));
        Line("");
        Line("| Scenario | sent/s C / Joold | CPU A µs C | CPU A µs Joold | A Joold / C | CPU B µs C | CPU B µs Joold | B Joold / C | ctx sw/batch C / Joold | lost C / Joold | latency p50 µs C / Joold | p99 µs C / Joold | max µs C / Joold | VmHWM A MiB C / Joold | RssAnon A MiB C / Joold | ready A ms C / Joold |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var scenario in runs.Select(r => r.Scenario).Distinct())
        {
            var c = ComparisonReport.Successful(runs, scenario, reference: true);
            var joold = ComparisonReport.Successful(runs, scenario, reference: false);
            string Pair(Metric metric) => $"{ComparisonReport.Number(metric.Median(c), metric.Format)} / {ComparisonReport.Number(metric.Median(joold), metric.Format)}";
            string One(Metric metric, List<LoadResult> of) => ComparisonReport.Number(metric.Median(of), metric.Format);
            string Ratio(Metric metric) => ComparisonReport.Number(Statistics.Ratio(metric.Median(joold), metric.Median(c)), "F2");
            string[] cells =
            [
                scenario.Name,
                Pair(Metric.Rate),
                One(Metric.CpuA, c), One(Metric.CpuA, joold), Ratio(Metric.CpuA),
                One(Metric.CpuB, c), One(Metric.CpuB, joold), Ratio(Metric.CpuB),
                $"A {Pair(Metric.SwitchesA)}; B {Pair(Metric.SwitchesB)}",
                Pair(Metric.Lost), Pair(Metric.P50), Pair(Metric.P99), Pair(Metric.Max),
                Pair(Metric.PeakA), Pair(Metric.PrivateA), Pair(Metric.ReadyA),
            ];
            Line($"| {string.Join(" | ", cells)} |");
        }

        Line("");
        var measured = runs.Where(r => r.Result is not null).ToList();
        int unsettled = measured.Count(r => r.Result!.Warmup.Contains("NOT settled", StringComparison.Ordinal));
        Line(string.Create(CultureInfo.InvariantCulture, $"Warm-ups whose CPU per batch had not settled after {Warmup.MaximumDuration.TotalSeconds:F0} s (measured anyway): {unsettled} of {measured.Count} runs; failed runs: {runs.Count - measured.Count}."));
        Line(floor);
        return text.ToString();
    }

    /// <summary>The 1-minute figure of a "1 5 15" load average string, NaN when unknown.</summary>
    public static double ParseLoad(string loadAverage) =>
        double.TryParse(loadAverage.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
}
