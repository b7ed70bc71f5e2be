using Joold.Testing;

namespace Joold.Transports.Conformance;

/// <summary>
/// What a component could leave behind, counted process-wide: open socket fds (/proc/self/fd), active timers, and
/// threads. Meaningful only while nothing else runs in the process, which is why the suite runs alone.
/// </summary>
internal sealed class ProcessResources
{
    // Threads the runtime owns and keeps or retires on its own schedule (Linux shows 15 characters of the name).
    private static readonly string[] RuntimeThreads =
    [
        ".NET TP Worker", ".NET TP Gate", ".NET Timer", ".NET Tiered Com", ".NET SigHandler", ".NET Finalizer",
        ".NET Sockets", ".NET SocketEngi", ".NET EventPipe", ".NET DebugPipe", ".NET Debugger", ".NET BGC",
        ".NET Server GC", ".NET SynchManag", ".NET Counter Po",
    ];

    private ProcessResources(int sockets, long timers, IReadOnlyDictionary<int, string> threads)
    {
        Sockets = sockets;
        Timers = timers;
        Threads = threads;
    }

    /// <summary>Open fds that are sockets.</summary>
    public int Sockets { get; }

    /// <summary><see cref="Timer.ActiveCount"/>: every timer registered to fire, TimeProvider.System's included.</summary>
    public long Timers { get; }

    /// <summary>Thread id to name, for every thread of the process.</summary>
    public IReadOnlyDictionary<int, string> Threads { get; }

    public static ProcessResources Take() => new(CountSockets(), Timer.ActiveCount, ReadThreads());

    /// <summary>Threads that exist now but not in <paramref name="baseline"/>, other than the runtime's own.</summary>
    public IReadOnlyList<string> ThreadsAddedSince(ProcessResources baseline) =>
        [.. Threads
            .Where(t => !baseline.Threads.ContainsKey(t.Key) && !RuntimeThreads.Any(r => t.Value.StartsWith(r, StringComparison.Ordinal)))
            .Select(t => $"{t.Value} ({t.Key})")];

    /// <summary>Whether nothing is left over compared with <paramref name="baseline"/>.</summary>
    public bool IsBackTo(ProcessResources baseline) =>
        Sockets <= baseline.Sockets && Timers <= baseline.Timers && ThreadsAddedSince(baseline).Count == 0;

    public string DescribeAgainst(ProcessResources baseline) =>
        $"{Sockets} sockets (before: {baseline.Sockets}), {Timers} timers (before: {baseline.Timers}), " +
        $"threads added: [{string.Join(", ", ThreadsAddedSince(baseline))}]";

    /// <summary>Waits (with the usual deadline) until nothing is left over; the failure says what is.</summary>
    public static async Task WaitUntilBackToAsync(ProcessResources baseline, string what)
    {
        try
        {
            await Eventually.WaitAsync(() => Take().IsBackTo(baseline), what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}. Now: {Take().DescribeAgainst(baseline)}", e);
        }
    }

    private static int CountSockets()
    {
        int count = 0;
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
        }

        return count;
    }

    private static Dictionary<int, string> ReadThreads()
    {
        var threads = new Dictionary<int, string>();
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                threads[int.Parse(Path.GetFileName(task), System.Globalization.CultureInfo.InvariantCulture)] = File.ReadAllText(Path.Combine(task, "comm")).Trim();
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return threads;
    }
}
