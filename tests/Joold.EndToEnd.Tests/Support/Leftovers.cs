namespace Joold.EndToEnd.Tests.Support;

/// <summary>Checks that what a test started is gone.</summary>
internal static class Leftovers
{
    /// <summary>Whether process <paramref name="processId"/> still runs (a zombie counts as gone).</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            string status = File.ReadAllText($"/proc/{processId}/status");
            return !status.Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    /// <summary>The children of this test process that still run, as "pid (command)".</summary>
    public static IReadOnlyList<string> RunningChildren()
    {
        var children = new List<string>();
        foreach (string task in Directory.EnumerateDirectories($"/proc/{Environment.ProcessId}/task"))
        {
            string list;
            try
            {
                list = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                continue;
            }

            foreach (string pid in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (IsRunning(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    children.Add($"{pid} ({ReadCommandLine(pid)})");
                }
            }
        }

        return children;
    }

    private static string ReadCommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return "gone";
        }
    }
}
