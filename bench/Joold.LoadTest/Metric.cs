namespace Joold.LoadTest;

/// <summary>One figure of a run, as the comparison's tables show it.</summary>
internal sealed record Metric(string Label, Func<LoadResult, double> Of, string Format)
{
    public static readonly Metric CpuA = new("CPU µs/batch, kernel side (A: multicast → UDP out, ACK; CPU clock)", r => r.CpuA.Microseconds / Math.Max(r.BatchesSent, 1), "F1");
    public static readonly Metric CpuB = new("CPU µs/batch, receiving side (B: UDP in → JOOLD_ADD; CPU clock)", r => r.CpuB.Microseconds / Math.Max(r.BatchesAdded, 1), "F1");
    public static readonly Metric TicksA = new("CPU µs/batch A from /proc ticks (10 ms)", r => r.CpuA.TickMicroseconds / Math.Max(r.BatchesSent, 1), "F1");
    public static readonly Metric TicksB = new("CPU µs/batch B from /proc ticks (10 ms)", r => r.CpuB.TickMicroseconds / Math.Max(r.BatchesAdded, 1), "F1");
    public static readonly Metric SwitchesA = new("context switches/batch A (live threads)", r => r.CpuA.ContextSwitches / (double)Math.Max(r.BatchesSent, 1), "F2");
    public static readonly Metric SwitchesB = new("context switches/batch B (live threads)", r => r.CpuB.ContextSwitches / (double)Math.Max(r.BatchesAdded, 1), "F2");
    public static readonly Metric Lost = new("batches lost", r => r.BatchesLost, "F0");
    public static readonly Metric Rate = new("batches/s sent by kernel A", r => r.SentPerSecond, "F0");
    public static readonly Metric P50 = new("latency p50, µs (kernel A multicast → kernel B JOOLD_ADD)", r => r.Latency.P50, "F0");
    public static readonly Metric P99 = new("latency p99, µs", r => r.Latency.P99, "F0");
    public static readonly Metric Max = new("latency max, µs", r => r.Latency.Max, "F0");
    public static readonly Metric PeakA = new("peak RSS A (VmHWM), MiB", r => r.MemoryA.PeakResidentMib, "F1");
    public static readonly Metric PrivateA = new("private RSS A (RssAnon), MiB", r => r.MemoryA.PrivateResidentMib, "F1");
    public static readonly Metric PeakB = new("peak RSS B (VmHWM), MiB", r => r.MemoryB.PeakResidentMib, "F1");
    public static readonly Metric PrivateB = new("private RSS B (RssAnon), MiB", r => r.MemoryB.PrivateResidentMib, "F1");
    public static readonly Metric ReadyA = new("start to ready A, ms", r => r.ReadyA?.TotalMilliseconds ?? double.NaN, "F0");
    public static readonly Metric ReadyB = new("start to ready B, ms", r => r.ReadyB?.TotalMilliseconds ?? double.NaN, "F0");

    /// <summary>Every metric, in the order of the per-scenario tables.</summary>
    public static readonly IReadOnlyList<Metric> All =
        [CpuA, CpuB, TicksA, TicksB, SwitchesA, SwitchesB, Lost, Rate, P50, P99, Max, PeakA, PrivateA, PeakB, PrivateB, ReadyA, ReadyB];

    /// <summary>The median of this metric over <paramref name="runs"/>, NaN when there are none.</summary>
    public double Median(IEnumerable<LoadResult> runs) => Statistics.Median(runs.Select(Of));
}
