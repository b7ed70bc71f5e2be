namespace Joold.LoadTest;

/// <summary>The machine's load average (/proc/loadavg: 1, 5 and 15 minutes), printed with every result.</summary>
internal static class LoadAverage
{
    public static string Read()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return fields.Length >= 3 ? $"{fields[0]} {fields[1]} {fields[2]}" : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The 1-minute figure, NaN when unknown.</summary>
    public static double OneMinute() =>
        double.TryParse(Read().Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) ? value : double.NaN;
}
