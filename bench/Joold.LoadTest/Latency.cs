using System.Diagnostics;
using System.Globalization;

namespace Joold.LoadTest;

/// <summary>
/// Kernel-to-peer-kernel latency of the measured batches: kernel A's multicast to kernel B's receipt of the
/// JOOLD_ADD that carries the same batch, from the fakes' stamps (<c>stamps</c> command: the monotonic clock, shared
/// by every process, keyed by the batch's last entry). In microseconds.
/// </summary>
internal sealed record Latency(int Batches, double P50, double P99, double Max)
{
    public static readonly Latency None = new(0, double.NaN, double.NaN, double.NaN);

    /// <summary>Kernel A's sends per second over the stamped batches (first to last send); NaN with fewer than two.</summary>
    public double SentPerSecond { get; init; } = double.NaN;

    /// <summary>Percentiles of the matched batches (<see cref="Match"/>) of the two fakes' <c>stamp</c> lines.</summary>
    public static Latency FromStamps(IEnumerable<string> kernelALines, IEnumerable<string> kernelBLines)
    {
        var sent = Parse(kernelALines, "sent");
        var added = Parse(kernelBLines, "added");
        double[] micros = [.. Match(sent, added).Select(ticks => ticks * 1_000_000.0 / Stopwatch.Frequency).Order()];
        var latency = micros.Length == 0
            ? None
            : new Latency(micros.Length, Statistics.Percentile(micros, 50), Statistics.Percentile(micros, 99), micros[^1]);
        return latency with { SentPerSecond = Rate(sent) };
    }

    /// <summary>(n − 1) / (last − first) over the send stamps, per second; NaN with fewer than two.</summary>
    public static double Rate(IReadOnlyList<(long Key, long Ticks)> sent)
    {
        if (sent.Count < 2)
        {
            return double.NaN;
        }

        long first = sent.Min(s => s.Ticks);
        long last = sent.Max(s => s.Ticks);
        return last > first ? (sent.Count - 1) * (double)Stopwatch.Frequency / (last - first) : double.NaN;
    }

    /// <summary>
    /// For each added stamp, the time since the latest sent stamp with the same key at or before it, in ticks.
    /// Loads reuse their sessions (60,000 identities), so a key recurs, but only after far longer than any latency:
    /// the latest earlier send of it is the batch's own. Added stamps without one are left out.
    /// </summary>
    public static IReadOnlyList<long> Match(IReadOnlyList<(long Key, long Ticks)> sent, IReadOnlyList<(long Key, long Ticks)> added)
    {
        var sends = new Dictionary<long, List<long>>();
        foreach (var (key, ticks) in sent)
        {
            if (!sends.TryGetValue(key, out var times))
            {
                sends[key] = times = [];
            }

            times.Add(ticks);
        }

        foreach (var times in sends.Values)
        {
            times.Sort();
        }

        var latencies = new List<long>(added.Count);
        foreach (var (key, ticks) in added)
        {
            if (!sends.TryGetValue(key, out var times))
            {
                continue;
            }

            int at = times.BinarySearch(ticks);
            int latest = at >= 0 ? at : ~at - 1;
            if (latest >= 0)
            {
                latencies.Add(ticks - times[latest]);
            }
        }

        return latencies;
    }

    /// <summary>The (key, ticks) of the <c>stamp KIND KEY TICKS</c> lines of one kind; other lines are skipped.</summary>
    public static IReadOnlyList<(long Key, long Ticks)> Parse(IEnumerable<string> lines, string kind)
    {
        var stamps = new List<(long, long)>();
        foreach (string line in lines)
        {
            string[] words = line.Split(' ');
            if (words.Length == 4 && words[0] == "stamp" && words[1] == kind
                && long.TryParse(words[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long key)
                && long.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out long ticks))
            {
                stamps.Add((key, ticks));
            }
        }

        return stamps;
    }
}
