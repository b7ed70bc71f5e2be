using System.Diagnostics;
using System.Globalization;

namespace Joold.Testing.Namespaces;

/// <summary>
/// Unique, recognisable names for namespaces and links: "jt", the process id, "-", a kind letter and a counter in
/// base 36, for example "jt4242-n1b". They fit IFNAMSIZ (15 characters), and the process id lets a later run
/// tell its own leftovers from those of a process that died.
/// </summary>
public static class TestNames
{
    /// <summary>Every name this fixture makes starts with this.</summary>
    public const string Marker = "jt";

    /// <summary>Linux interface names are at most 15 bytes.</summary>
    public const int MaxInterfaceName = 15;

    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static int _counter;

    /// <summary>The prefix of every name made by this process.</summary>
    public static string ProcessPrefix { get; } = PrefixOf(Environment.ProcessId);

    /// <summary>The prefix of the names made by process <paramref name="processId"/>.</summary>
    public static string PrefixOf(int processId) => $"{Marker}{processId.ToString(CultureInfo.InvariantCulture)}-";

    /// <summary>A new name, unique in this machine for as long as this process lives.</summary>
    public static string Next(char kind)
    {
        int value = Interlocked.Increment(ref _counter);
        Span<char> digits = stackalloc char[8];
        int start = digits.Length;
        do
        {
            digits[--start] = Digits[value % 36];
            value /= 36;
        }
        while (value > 0);

        string name = $"{ProcessPrefix}{kind}{digits[start..]}";
        return name.Length <= MaxInterfaceName
            ? name
            : throw new InvalidOperationException($"Generated name '{name}' is longer than {MaxInterfaceName} characters.");
    }

    /// <summary>The process that made <paramref name="name"/>, or null when the name is not one of ours.</summary>
    public static int? OwnerOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith(Marker, StringComparison.Ordinal))
        {
            return null;
        }

        int dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > Marker.Length && int.TryParse(name.AsSpan(Marker.Length, dash - Marker.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            ? pid
            : null;
    }

    /// <summary>Whether the process that made <paramref name="name"/> still runs.</summary>
    public static bool IsOwnerAlive(string name)
    {
        if (OwnerOf(name) is not int pid)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
