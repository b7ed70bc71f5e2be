using System.Diagnostics;
using System.Globalization;

namespace Joold.LoadTest;

/// <summary>
/// A process's CPU time so far: exact, in nanoseconds, from its process CPU clock (<see cref="ProcessCpuClock"/>:
/// every thread that ever ran), which the figures per batch use; and utime and stime from /proc/PID/stat in clock
/// ticks (10 ms), printed for the user/system split, which the kernel estimates from sampled ticks and which is
/// therefore only indicative. System time includes the kernel work done on the process's behalf, for loopback and
/// veth sends also the receiver's network stack, which runs in the sender's softirq. Plus the context switches of
/// the live threads (/proc/PID/task/*/status), which count the thread wake-ups per batch.
/// </summary>
internal readonly record struct CpuSample(long UserTicks, long SystemTicks, long ContextSwitches, long Nanoseconds)
{
    private static readonly Lazy<long> TicksPerSecond = new(ReadTicksPerSecond);

    /// <summary>Microseconds per clock tick (10 000 with the usual CLK_TCK of 100).</summary>
    public static double MicrosecondsPerTick => 1_000_000.0 / TicksPerSecond.Value;

    public double UserMicroseconds => UserTicks * MicrosecondsPerTick;

    public double SystemMicroseconds => SystemTicks * MicrosecondsPerTick;

    /// <summary>utime + stime, from ticks.</summary>
    public double TickMicroseconds => UserMicroseconds + SystemMicroseconds;

    /// <summary>The exact CPU time (the process CPU clock).</summary>
    public double Microseconds => Nanoseconds / 1000.0;

    public static CpuSample Read(int processId)
    {
        long nanoseconds = ProcessCpuClock.ReadNanoseconds(processId);
        string stat = File.ReadAllText($"/proc/{processId}/stat");

        // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long user = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long system = long.Parse(fields[12], CultureInfo.InvariantCulture);
        long switches = 0;
        foreach (string task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
        {
            try
            {
                foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.Contains("ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return new CpuSample(user, system, switches, nanoseconds);
    }

    public static CpuSample operator -(CpuSample after, CpuSample before) =>
        new(after.UserTicks - before.UserTicks, after.SystemTicks - before.SystemTicks, after.ContextSwitches - before.ContextSwitches, after.Nanoseconds - before.Nanoseconds);

    private static long ReadTicksPerSecond()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false });
            if (getconf is not null && long.TryParse(getconf.StandardOutput.ReadToEnd().Trim(), CultureInfo.InvariantCulture, out long ticks) && ticks > 0)
            {
                return ticks;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No getconf: Linux's USER_HZ is 100 everywhere that matters.
        }

        return 100;
    }
}
