using Joold.Host.Simulation;
using Joold.Sessions;

namespace Joold.Host.Demo;

/// <summary>
/// Runs the demo: both simulated kernels emit batches for the given time, each node prints its progress once a
/// second, then the summary checks that every session each kernel emitted reached the other kernel, byte for byte.
/// </summary>
internal sealed class DemoRunner(IEnumerable<string> pluginDirectories, TextWriter output, TimeProvider time, bool allowUnsafePlugins = false)
{
    /// <summary>How often the nodes are started with new ports when another process took one of the picked ports.</summary>
    private const int StartAttempts = 5;

    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(5);

    public async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        var (a, b, ports) = await StartNodesAsync(cancellationToken);
        await using (a)
        await using (b)
        {
            return await RunStartedAsync(a, b, ports, options, cancellationToken);
        }
    }

    /// <summary>Starts the two nodes, each the other's Unicast peer, picking the ports again if one was taken meanwhile.</summary>
    private async Task<(DemoNode A, DemoNode B, int[] Ports)> StartNodesAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            int[] ports = RacyLoopbackPorts.Pick(4);
            var a = DemoNode.Create("A", 1, ports[0], ports[1], ports[2], pluginDirectories, allowUnsafePlugins);
            DemoNode? b = null;
            try
            {
                b = DemoNode.Create("B", 2, ports[1], ports[0], ports[3], pluginDirectories, allowUnsafePlugins);
                await a.App.StartAsync(cancellationToken);
                await b.App.StartAsync(cancellationToken);
                return (a, b, ports);
            }
            catch (Exception e) when (attempt < StartAttempts && RacyLoopbackPorts.IsAddressInUse(e))
            {
                await DisposeBothAsync(a, b);
            }
            catch
            {
                await DisposeBothAsync(a, b);
                throw;
            }
        }
    }

    private static async Task DisposeBothAsync(DemoNode a, DemoNode? b)
    {
        await a.DisposeAsync();
        if (b is not null)
        {
            await b.DisposeAsync();
        }
    }

    private async Task<int> RunStartedAsync(DemoNode a, DemoNode b, int[] ports, DemoOptions options, CancellationToken cancellationToken)
    {
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
            return $"KERNEL_SENT_PKTS={stats.KernelSentPackets} NET_SENT_PKTS={stats.NetSentPackets} NET_RCVD_PKTS={stats.NetReceivedPackets}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "(no answer from the stats server)";
        }
        catch (FormatException e)
        {
            return $"(a reply that is not the stats text: {e.Message})";
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
