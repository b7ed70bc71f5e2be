using System.Globalization;
using System.Text;
using Joold.Testing;

namespace Joold.LoadTest;

/// <summary>
/// <c>--syscalls</c>: per scenario and daemon one more run, not measured (ptrace slows every system call down):
/// after a short warm-up, <c>strace -c -f -p</c> attaches to each daemon (every thread), the scenario's load runs
/// (at most <see cref="MaximumBatches"/> batches), and strace's summary gives the system calls per batch.
/// </summary>
internal static class SyscallCount
{
    public const int MaximumBatches = 2_000;

    private const int WarmupBatches = 1_000;

    private const int SignalInterrupt = 2;

    public static async Task<string> RunAllAsync(LoadOptions options, DaemonFlavor reference, Action<string> progress, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("### System calls per batch (strace -c -f, one separate run each, not measured)\n\n");
        text.Append("| Scenario | Daemon | A: calls/batch | A: top calls/batch | B: calls/batch | B: top calls/batch |\n|---|---|---:|---|---:|---|\n");
        foreach (var scenario in options.Scenarios)
        {
            DaemonFlavor[] flavors = scenario.WithReference ? [reference, DaemonFlavor.Joold] : [DaemonFlavor.Joold];
            foreach (var flavor in flavors)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress($"{scenario.Name}, strace run: {flavor.Name}");
                string row;
                try
                {
                    row = await RunOnceAsync(scenario.Apply(options) with { WarmupBatches = WarmupBatches }, flavor, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
                {
                    row = $"failed: {e.Message.ReplaceLineEndings(" ")} | | | ";
                }

                text.Append(CultureInfo.InvariantCulture, $"| {scenario.Name} | {flavor.Name} | {row} |\n");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// The per-call counts of strace -c's table ("% time seconds usecs/call calls [errors] syscall" rows), the total
    /// row under the name "total".
    /// </summary>
    public static IReadOnlyDictionary<string, long> Parse(string straceSummary)
    {
        var calls = new Dictionary<string, long>();
        foreach (string line in straceSummary.Split('\n'))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length is 5 or 6
                && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
            {
                calls[fields[^1]] = count;
            }
        }

        return calls;
    }

    /// <summary>"12.0 | epoll_wait 4.0, sendmsg 2.0, ..." for the three most frequent calls.</summary>
    public static string Describe(IReadOnlyDictionary<string, long> calls, long batches)
    {
        double n = Math.Max(batches, 1);
        string top = string.Join(", ", calls.Where(c => c.Key != "total").OrderByDescending(c => c.Value).Take(3)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value / n:F1}")));
        return string.Create(CultureInfo.InvariantCulture, $"{(calls.TryGetValue("total", out long total) ? total / n : double.NaN):F1} | {top}");
    }

    private static async Task<string> RunOnceAsync(LoadOptions options, DaemonFlavor flavor, CancellationToken cancellationToken)
    {
        ILoadRig rig = await ComparisonRun.StartRigAsync(options, flavor).ConfigureAwait(false);
        await using (rig.ConfigureAwait(false))
        {
            await rig.KernelA.CommandAsync("record off", cancellationToken).ConfigureAwait(false);
            await rig.KernelB.CommandAsync("record off", cancellationToken).ConfigureAwait(false);
            await Warmup.RunAsync(rig, options, _ => { }, cancellationToken).ConfigureAwait(false);
            await using var straceA = await AttachAsync(rig.DaemonAProcessId).ConfigureAwait(false);
            await using var straceB = await AttachAsync(rig.DaemonBProcessId).ConfigureAwait(false);
            var drive = await LoadDriver.RunAsync(rig, options.Mode, Math.Min(options.Batches, MaximumBatches), options, cancellationToken).ConfigureAwait(false);
            string a = await DetachAsync(straceA).ConfigureAwait(false);
            string b = await DetachAsync(straceB).ConfigureAwait(false);
            return $"{Describe(Parse(a), drive.Sent)} | {Describe(Parse(b), drive.Received)}";
        }
    }

    private static async Task<DaemonProcess> AttachAsync(int processId)
    {
        var strace = DaemonProcess.Start("strace", ["-c", "-f", "-p", processId.ToString(CultureInfo.InvariantCulture)]);
        await strace.WaitForOutputAsync("attached", RigSupport.StartTimeout).ConfigureAwait(false);
        return strace;
    }

    /// <summary>SIGINT makes strace detach and print its summary.</summary>
    private static async Task<string> DetachAsync(DaemonProcess strace)
    {
        DaemonProcess.Signal(strace.Id, SignalInterrupt);
        await strace.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return strace.StandardError;
    }
}
