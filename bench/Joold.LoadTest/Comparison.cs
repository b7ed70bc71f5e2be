using System.Globalization;
using System.Runtime.InteropServices;

namespace Joold.LoadTest;

/// <summary>
/// <c>--reference PATH</c>: builds the shim, measures the .NET memory floor, runs the scenarios against C joold and
/// Joold (<see cref="ComparisonRun"/>) and prints the tables. Exit code 1 when Joold lost batches or a run failed.
/// </summary>
internal static class Comparison
{
    public static async Task<int> RunAsync(LoadOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        string reference = Path.GetFullPath(options.Reference!);
        if (!File.Exists(reference))
        {
            throw new InvalidOperationException($"--reference: no file '{reference}' (C joold: see the README, \"Performance\").");
        }

        progress("building the netlink redirect shim (gcc)");
        using var shim = await ReferenceShim.BuildAsync().ConfigureAwait(false);
        var floor = await FloorProbe.MeasureAsync().ConfigureAwait(false);
        progress(FloorProbe.Describe(floor));
        var runs = await ComparisonRun.RunAsync(options with { Reference = reference }, DaemonFlavor.Reference(reference, shim.LibraryPath), progress, cancellationToken).ConfigureAwait(false);
        string machine = Machine();
        Console.WriteLine(ComparisonReport.Format(options with { Reference = reference }, runs, machine));
        if (options.Syscalls)
        {
            Console.WriteLine(await SyscallCount.RunAllAsync(options with { Reference = reference }, DaemonFlavor.Reference(reference, shim.LibraryPath), progress, cancellationToken).ConfigureAwait(false));
        }

        Console.WriteLine(ReadmeSummary.Format(options with { Reference = reference }, runs, machine, await CommitAsync().ConfigureAwait(false), FloorProbe.Describe(floor), DateTime.UtcNow));
        bool jooldLost = runs.Any(r => r.Daemon == DaemonFlavor.Joold.Name && r.Result is { LostAnything: true });
        return jooldLost || runs.Any(r => r.Result is null) ? 1 : 0;
    }

    /// <summary>The checked-out commit of the working directory ("unknown" outside a git tree).</summary>
    private static async Task<string> CommitAsync()
    {
        try
        {
            var result = await Joold.Testing.Namespaces.Command.RunAsync("git", ["rev-parse", "--short", "HEAD"]).ConfigureAwait(false);
            return result.Succeeded ? result.StandardOutput.Trim() : "unknown";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    /// <summary>"2 CPUs (model), Linux 6.x, .NET 10.0.x": what the figures were measured on.</summary>
    private static string Machine()
    {
        string model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : "unknown CPU";
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} CPUs ({model}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    }
}
