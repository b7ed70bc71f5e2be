namespace Joold.LoadTest;

/// <summary>Medians and percentiles of small samples (rounds) and of latency lists.</summary>
internal static class Statistics
{
    /// <summary>The median: the middle value, or the mean of the two middle ones; NaN when there is none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Where(v => !double.IsNaN(v)).Order()];
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>
    /// The nearest-rank percentile of an ascending list: the smallest value with at least <paramref name="percent"/>
    /// percent of the values at or below it (100 gives the maximum); NaN for an empty list.
    /// </summary>
    public static double Percentile(IReadOnlyList<double> ascending, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (ascending.Count == 0)
        {
            return double.NaN;
        }

        int rank = (int)Math.Ceiling(percent / 100 * ascending.Count);
        return ascending[Math.Clamp(rank, 1, ascending.Count) - 1];
    }

    /// <summary>Joold / C, NaN when C's figure is zero or missing.</summary>
    public static double Ratio(double joold, double reference) =>
        reference > 0 && !double.IsNaN(joold) ? joold / reference : double.NaN;
}
