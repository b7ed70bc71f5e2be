using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Joold.FakeKernel;

/// <summary>
/// Sleeps until an absolute time of the monotonic clock (<c>clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)</c>):
/// no drift from the time it takes to get to the call, no spinning. <see cref="Stopwatch"/> ticks are that clock
/// on Linux, so deadlines come straight from <see cref="FixedRateSchedule"/>.
/// </summary>
internal static partial class MonotonicSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int PriorityProcess = 0;

    /// <summary>Returns at <paramref name="ticks"/> or a little after (timer slack, scheduling); early on a signal.</summary>
    public static void Until(long ticks)
    {
        long nanoseconds = (long)((Int128)ticks * 1_000_000_000 / Stopwatch.Frequency);
        var deadline = new TimeSpec(nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000);
        _ = ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, in deadline, IntPtr.Zero);
    }

    /// <summary>
    /// Gives the calling thread the nice value of the process's main thread (the load tool renices a fake's threads
    /// once, at start; a thread started later from a pool thread need not inherit it). Best effort.
    /// </summary>
    public static void TakeMainThreadNice()
    {
        Marshal.SetLastPInvokeError(0);
        int nice = GetPriority(PriorityProcess, Environment.ProcessId);
        if (Marshal.GetLastPInvokeError() == 0)
        {
            _ = SetPriority(PriorityProcess, 0, nice);
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in TimeSpec request, IntPtr remain);

    [LibraryImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);
}
