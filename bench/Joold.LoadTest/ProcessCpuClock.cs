using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Joold.LoadTest;

/// <summary>
/// Another process's CPU time in nanoseconds: <c>clock_gettime</c> on its process CPU clock (what
/// <c>clock_getcpuclockid(pid)</c> returns: <c>(~pid &lt;&lt; 3) | CPUCLOCK_SCHED</c>). It is the scheduler's own
/// account (sum_exec_runtime) of every thread, live or ended, exact to the nanosecond: the 10 ms ticks of
/// /proc/PID/stat lose ±1 µs per batch at 10,000 batches, and /proc/PID/task/*/schedstat misses ended threads
/// (.NET's tiered compilation worker comes and goes). Needs the same PID namespace (the daemons only get their own
/// network namespace).
/// </summary>
internal static partial class ProcessCpuClock
{
    private const int CpuClockSched = 2;

    public static long ReadNanoseconds(int processId)
    {
        if (ClockGetTime(ClockOf(processId), out var time) != 0)
        {
            throw new IOException($"clock_gettime on the CPU clock of process {processId}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    /// <summary>
    /// The clock id of a process's CPU clock, as glibc's clock_getcpuclockid makes it. The id keeps 29 bits of the
    /// pid: a larger one would wrap into another clock (even the caller's own), so it is refused.
    /// </summary>
    public static int ClockOf(int processId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(processId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(processId, int.MaxValue >> 3);
        return (~processId << 3) | CpuClockSched;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);
}
