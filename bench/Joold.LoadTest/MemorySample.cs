using System.Globalization;

namespace Joold.LoadTest;

/// <summary>
/// A process's memory from /proc/PID/status, in KiB: VmHWM (peak resident set, shared library pages included) and
/// RssAnon (resident private anonymous memory now: the heap, the GC's, thread stacks), read at the end of a run.
/// </summary>
internal readonly record struct MemorySample(long PeakResidentKib, long PrivateResidentKib)
{
    public double PeakResidentMib => PeakResidentKib / 1024.0;

    public double PrivateResidentMib => PrivateResidentKib / 1024.0;

    public static MemorySample Read(int processId) => Parse(File.ReadAllLines($"/proc/{processId}/status"));

    /// <summary>Reads the two fields from the lines of a status file; a missing field is 0.</summary>
    public static MemorySample Parse(IEnumerable<string> statusLines)
    {
        long peak = 0;
        long anonymous = 0;
        foreach (string line in statusLines)
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kib(line);
            }
            else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anonymous = Kib(line);
            }
        }

        return new MemorySample(peak, anonymous);
    }

    /// <summary>"VmHWM:	   12345 kB" → 12345.</summary>
    private static long Kib(string line) =>
        long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
