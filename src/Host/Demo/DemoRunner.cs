using Joold.Host.Simulation;
using Joold.Sessions;

namespace Joold.Host.Demo;

/// <summary>
/// Runs the demo: both simulated kernels emit batches for the given time, each node prints its progress once a
/// second, then the summary checks that every session each kernel emitted reached the other kernel, byte for byte.
/// </summary>
internal sealed class DemoRunner(IEnumerable<string> pluginDirectories, TextWriter output, TimeProvider time)
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(5);

    public async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        int[] ports = LoopbackPorts.Reserve(4);
        await using var a = DemoNode.Create("A", 1, ports[0], ports[1], ports[2], pluginDirectories);
        await using var b = DemoNode.Create("B", 2, ports[1], ports[0], ports[3], pluginDirectories);
        await a.App.StartAsync(cancellationToken);
        await b.App.StartAsync(cancellationToken);
        await output.WriteLineAsync($"Two Joold nodes on 127.0.0.1: A listens on :{ports[0]} (stats :{ports[2]}), B on :{ports[1]} (stats :{ports[3]}).");
        await output.WriteLineAsync($"Each simulated kernel emits {options.BatchesPerSecond} batches of 1-36 sessions per second for {options.Duration.TotalSeconds:0} s.");
        if (options.LoseOne)
        {
            b.Kernel.DiscardNextReceived();
        }

        long started = time.GetTimestamp();
        var random = new Random(42);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / options.BatchesPerSecond), time);
        int nextReport = 1;
        while (time.GetElapsedTime(started) < options.Duration && await timer.WaitForNextTickAsync(cancellationToken))
        {
            Emit(a, random.Next(1, 37));
            Emit(b, random.Next(1, 37));
            if (time.GetElapsedTime(started).TotalSeconds >= nextReport)
            {
                await ReportAsync($"{nextReport,3}s", a, b, cancellationToken);
                nextReport++;
            }
        }

        // Let what is in flight land, bounded: a lost batch must not hang the demo.
        long settling = time.GetTimestamp();
        while (time.GetElapsedTime(settling) < SettleTimeout && (b.Kernel.ReceivedSessions < a.Emitted.Count || a.Kernel.ReceivedSessions < b.Emitted.Count))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken);
        }

        await ReportAsync("end", a, b, cancellationToken);
        bool ok = await SummarizeAsync(a, b) & await SummarizeAsync(b, a);
        await output.WriteLineAsync(ok ? "PASS: every session reached the other kernel byte-identical." : "FAIL: sessions were lost or altered.");
        return ok ? 0 : 1;
    }

    private static void Emit(DemoNode node, int sessions)
    {
        byte[] batch = node.Generator.NextBatch(sessions);
        for (int i = 0; i < sessions; i++)
        {
            node.Emitted.Add(Convert.ToHexString(SessionContainer.EntryPayload(batch, i)));
        }

        node.Kernel.Emit(batch);
    }

    private async Task ReportAsync(string when, DemoNode a, DemoNode b, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(
            $"{when,4}  A: emitted {a.Emitted.Count,6} received {a.Kernel.ReceivedSessions,6} | " +
            $"B: emitted {b.Emitted.Count,6} received {b.Kernel.ReceivedSessions,6} | " +
            $"A stats {await StatsTextAsync(a, cancellationToken)} | B stats {await StatsTextAsync(b, cancellationToken)}");
    }

    private async Task<string> StatsTextAsync(DemoNode node, CancellationToken cancellationToken)
    {
        try
        {
            var stats = await StatsQuery.QueryAsync(node.Stats, TimeSpan.FromSeconds(1), time, cancellationToken);
            return $"KERNEL_SENT_PKTS={stats.GetValueOrDefault("KERNEL_SENT_PKTS")} NET_SENT_PKTS={stats.GetValueOrDefault("NET_SENT_PKTS")} NET_RCVD_PKTS={stats.GetValueOrDefault("NET_RCVD_PKTS")}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "(no answer from the stats server)";
        }
    }

    /// <summary>Compares, as multisets, what <paramref name="from"/>'s kernel emitted and what <paramref name="to"/>'s received.</summary>
    private async Task<bool> SummarizeAsync(DemoNode from, DemoNode to)
    {
        var received = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (byte[] batch in to.Kernel.ReceivedBatches)
        {
            for (int i = 0; i < batch.Length / SessionContainer.EntrySize; i++)
            {
                string key = Convert.ToHexString(SessionContainer.EntryPayload(batch, i));
                received[key] = received.GetValueOrDefault(key) + 1;
            }
        }

        int arrived = 0;
        foreach (string session in from.Emitted)
        {
            if (received.TryGetValue(session, out int n) && n > 0)
            {
                received[session] = n - 1;
                arrived++;
            }
        }

        int unexpected = received.Values.Sum();
        bool ok = arrived == from.Emitted.Count && unexpected == 0;
        await output.WriteLineAsync(
            $"{from.Name} -> {to.Name}: {arrived} of {from.Emitted.Count} sessions arrived byte-identical" +
            (unexpected > 0 ? $", {unexpected} unexpected" : "") + (ok ? "" : $", {from.Emitted.Count - arrived} missing"));
        return ok;
    }
}
