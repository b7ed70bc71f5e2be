using BenchmarkDotNet.Running;

namespace Joold.Benchmarks;

/// <summary>
/// Runs the benchmarks with BenchmarkDotNet's own command line, for example:
/// <c>dotnet run -c Release --project bench/Joold.Benchmarks -- --filter '*'</c> for the full run, and
/// <c>... -- --filter '*' --job short</c> for a shorter one, and <c>... -- --filter '*' --quick</c> (short job, in
/// process, one joined table) for a run of about half a minute.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        // "--quick" is our shorthand: few iterations, no separate build and process per benchmark, one table.
        var arguments = args.Contains("--quick")
            ? [.. args.Where(a => a != "--quick"), "--job", "short", "--inProcess", "--join"]
            : args.ToList();

        // Reports go next to the binaries, not into whatever directory the command was run from (the repository).
        if (!arguments.Contains("--artifacts"))
        {
            arguments.AddRange(["--artifacts", Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts")]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. arguments]);
    }
}
