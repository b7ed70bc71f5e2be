using System.Diagnostics;
using System.Globalization;
using Joold.EndToEnd.Tests.Support;
using Joold.Stats;
using Joold.Testing;

namespace Joold.EndToEnd.Tests;

/// <summary>
/// Issue 11, defect 4: a kernel that stops reading must stall nothing but its own sink. Two daemons on loopback
/// (as in <see cref="UnicastSyncTests"/>), kernel A under a paced load, kernel B frozen with SIGSTOP: B's stats
/// server still answers at once, kernel A's batches still reach B over the network, B counts what its kernel sink
/// cannot take, and after SIGCONT kernel B gets batches again.
/// </summary>
public class StuckKernelTests
{
    private const int MetricsPortB = 9465;

    /// <summary>What "promptly" means for one stats query: far below the 1 s a stuck send may wait.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromMilliseconds(500);

    [Fact]
    public Task A_stopped_kernel_under_load_stalls_neither_the_stats_server_nor_the_network_and_the_flow_resumes() =>
        EndToEndNetwork.RunAsync(nodes: 1, async net =>
        {
            var (a, b, _) = await UnicastPair.StartAsync(net, "e2e-stuck", moreConfigB: $$""", "Prometheus": { "listen": "127.0.0.1:{{MetricsPortB}}" }""");

            // Kernel A emits full batches as fast as daemon A ACKs them, for far longer than the test runs.
            await a.Kernel.CommandAsync("record off");
            await b.Kernel.CommandAsync("record off");
            await a.Kernel.CommandAsync("load 1000000");
            var flowing = await KernelWait.UntilAsync(b.Kernel, k => k.PktRcvd > 10, "kernel B to receive batches before it is stopped");

            DaemonProcess.Signal(b.Kernel.ProcessId, Tmds.Linux.LibC.SIGSTOP);
            try
            {
                // B's kernel sink gives up and counts, its queue fills and then drops are counted.
                await Eventually.ValueAsync(
                    () => MetricsAsync(b),
                    m => m.GetValueOrDefault("joold_sink_failures_total") > 0 && m.GetValueOrDefault("joold_dropped_batches_total") > 0,
                    "daemon B to count sends given up and batches dropped for its stopped kernel");

                // Meanwhile every stats query is answered at once, and the network keeps bringing kernel A's batches.
                var first = await TimedQueryAsync(b);
                var firstA = await TimedQueryAsync(a);
                for (int i = 0; i < 10; i++)
                {
                    await TimedQueryAsync(b);
                }

                await Eventually.ValueAsync(() => TimedQueryAsync(b), s => s.NetReceivedPackets > first.NetReceivedPackets + 100, "daemon B to keep receiving kernel A's batches");
                await Eventually.ValueAsync(() => TimedQueryAsync(a), s => s.NetSentPackets > firstA.NetSentPackets + 100, "daemon A to keep sending kernel A's batches");
                Assert.False(b.Daemon!.HasExited);
            }
            finally
            {
                DaemonProcess.Signal(b.Kernel.ProcessId, Tmds.Linux.LibC.SIGCONT);
            }

            // Kernel B reads again: the batches flow to it again.
            var resumed = await KernelWait.UntilAsync(b.Kernel, k => k.PktRcvd > flowing.PktRcvd + 100, "kernel B to receive batches again after SIGCONT");
            await KernelWait.UntilAsync(b.Kernel, k => k.PktRcvd > resumed.PktRcvd + 100, "kernel B to keep receiving batches after SIGCONT");
        });

    /// <summary>One stats query, which must be answered within <see cref="Prompt"/>.</summary>
    private static async Task<StatsSnapshot> TimedQueryAsync(JooldNode node)
    {
        var clock = Stopwatch.StartNew();
        var stats = await node.QueryStatsAsync();
        Assert.True(clock.Elapsed < Prompt, $"the stats server of {node} took {clock.Elapsed.TotalMilliseconds:0} ms to answer");
        return stats;
    }

    /// <summary>B's Prometheus counters (name without labels → value), read from inside its namespace.</summary>
    private static async Task<Dictionary<string, double>> MetricsAsync(JooldNode node)
    {
        var result = await node.Node.ExecAsync(
            "timeout", "10", "bash", "-c", $"exec 3<>/dev/tcp/127.0.0.1/{MetricsPortB}; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3");
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries))
        {
            string[] parts = line.Split(' ');
            if (parts.Length == 2 && line.StartsWith("joold_", StringComparison.Ordinal) && !parts[0].Contains('{', StringComparison.Ordinal)
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                metrics[parts[0]] = value;
            }
        }

        return metrics;
    }
}
