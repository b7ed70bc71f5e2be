using System.Globalization;
using System.Text;

namespace Joold.LoadTest;

/// <summary>
/// The result as tables. No verdict on the CPU figures: C joold's cost depends on the machine, its load and the rate
/// (13 to 21 µs per batch on the kernel side here, 5 to 13 on the receiving side), so only a side-by-side run
/// (<c>--reference</c>) says how Joold compares.
/// </summary>
internal static class LoadReport
{
    public static string Format(LoadResult r)
    {
        var o = r.Options;
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        string mode = o.Mode switch
        {
            LoadMode.Paced => "paced (ACK window of one)",
            LoadMode.Sequential => "sequential (one batch in flight end to end)",
            LoadMode.Rate => string.Create(CultureInfo.InvariantCulture, $"fixed rate ({o.Rate} batches/s, ACK window of one)"),
            _ => string.Create(CultureInfo.InvariantCulture, $"burst ({o.BurstSize} back to back per burst)"),
        };
        Line(string.Create(CultureInfo.InvariantCulture, $"Joold load test: {mode}, {r.Rig}"));
        Line(string.Create(CultureInfo.InvariantCulture, $"{o.Batches} batches x {o.SessionsPerBatch} sessions measured; {r.Elapsed.TotalSeconds:F2} s; kernel A sent {r.SentPerSecond:F0} batches/s ({r.SentPerSecond * o.SessionsPerBatch:F0} sessions/s), kernel B got {r.BatchesPerSecond:F0} batches/s"));
        Line(r.Warmup);
        if (o.UnicastReceiveBuffer is int buffer)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"Unicast \"receive buffer\": {buffer}"));
        }

        if (o.DaemonEnvironment.Count > 0)
        {
            Line($"Daemon environment: {string.Join(' ', o.DaemonEnvironment.Select(p => $"{p.Key}={p.Value}"))}");
        }

        Line("");
        Line("| Daemon | CPU µs/batch (CPU clock, ns) | from ticks (10 ms) | user (ticks) | system (ticks) | ctx switches/batch |");
        Line("|---|---:|---:|---:|---:|---:|");
        Line(Row("A, kernel side (multicast → UDP out, ACK)", r.CpuA, r.BatchesSent));
        Line(Row("B, receiving side (UDP in → JOOLD_ADD)", r.CpuB, r.BatchesAdded));
        Line("No verdict: compare with C joold side by side (--reference); its figures depend on the machine and the rate.");
        Line("");
        Line("| Counted at | Batches | Sessions |");
        Line("|---|---:|---:|");
        Line(Count("kernel A sent (PktSent, SssSent)", r.BatchesSent, r.SessionsSent));
        Line(Count("daemon A KERNEL_SENT_PKTS", r.DaemonA.KernelSentPackets, r.DaemonA.KernelSentBytes / 40));
        Line(Count("daemon A NET_SENT_PKTS", r.DaemonA.NetSentPackets, r.DaemonA.NetSentBytes / 40));
        Line(Count("daemon B NET_RCVD_PKTS", r.DaemonB.NetReceivedPackets, r.DaemonB.NetReceivedBytes / 40));
        Line(Count("kernel B added (SssRcvd; ADDs may hold several batches)", r.BatchesAdded, r.SessionsAdded));
        Line(Count("lost", r.BatchesLost, r.SessionsLost));
        Line("");
        Line(string.Create(CultureInfo.InvariantCulture, $"Kernel drop counters (namespace-wide): netlink Drops in A's namespace {r.DropsA.NetlinkDrops}, UDP RcvbufErrors in B's namespace {r.DropsB.UdpReceiveBufferErrors}."));
        Line(string.Create(CultureInfo.InvariantCulture, $"Latency kernel A multicast → kernel B JOOLD_ADD over {r.Latency.Batches} batches: p50 {r.Latency.P50:F0} µs, p99 {r.Latency.P99:F0} µs, max {r.Latency.Max:F0} µs."));
        Line(string.Create(CultureInfo.InvariantCulture, $"Memory at the end: daemon A VmHWM {r.MemoryA.PeakResidentMib:F1} MiB, RssAnon {r.MemoryA.PrivateResidentMib:F1} MiB; daemon B VmHWM {r.MemoryB.PeakResidentMib:F1} MiB, RssAnon {r.MemoryB.PrivateResidentMib:F1} MiB."));
        if (r.ReadyA is TimeSpan readyA && r.ReadyB is TimeSpan readyB)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"Start to ready: daemon A {readyA.TotalMilliseconds:F0} ms, daemon B {readyB.TotalMilliseconds:F0} ms."));
        }

        Line($"Load average: {LoadAverage.Read()}.");
        if (r.FailedSends > 0)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"The fake kernel A failed {r.FailedSends} multicast sends."));
        }

        Line("");
        Line(r.LostAnything
            ? string.Create(CultureInfo.InvariantCulture, $"LOSS: {r.BatchesLost} of {r.BatchesSent} batches ({r.SessionsLost} sessions) did not reach kernel B.")
            : "No loss: every session kernel A sent was added to kernel B.");
        return text.ToString();
    }

    private static string Row(string name, CpuSample cpu, long batches)
    {
        double n = Math.Max(batches, 1);
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {cpu.Microseconds / n:F1} | {cpu.TickMicroseconds / n:F1} | {cpu.UserMicroseconds / n:F1} | {cpu.SystemMicroseconds / n:F1} | {cpu.ContextSwitches / n:F1} |");
    }

    private static string Count(string name, long batches, long sessions) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {batches} | {sessions} |");
}
