using System.Diagnostics;

namespace Joold.FakeKernel;

/// <summary>
/// The clock of a fixed-rate load (<c>rate</c> command): a thread of its own releases one batch's worth of sessions
/// to the joold queue at every slot of a <see cref="FixedRateSchedule"/>, sleeping until the next slot in between.
/// The queue still sends only when the previous batch was acknowledged, so a batch leaves at its slot or, when the
/// ACK comes later, at the ACK (the schedule does not move: late batches catch up, paced by the ACKs).
/// </summary>
internal sealed class ScheduledLoad
{
    private readonly Thread _thread;

    private ScheduledLoad(long batches, int batchesPerSecond, Action<long> release, CancellationToken stop)
    {
        _thread = new Thread(() => Run(batches, batchesPerSecond, release, stop)) { IsBackground = true, Name = "Fake rate load" };
    }

    /// <summary>Starts releasing: <paramref name="release"/> gets how many batches fell due since its last call.</summary>
    public static ScheduledLoad Start(long batches, int batchesPerSecond, Action<long> release, CancellationToken stop)
    {
        var load = new ScheduledLoad(batches, batchesPerSecond, release, stop);
        load._thread.Start();
        return load;
    }

    public bool IsRunning => _thread.IsAlive;

    /// <summary>Waits for the thread (after the stop token was cancelled, at most one slot's sleep).</summary>
    public void Join() => _thread.Join();

    private static void Run(long batches, int batchesPerSecond, Action<long> release, CancellationToken stop)
    {
        MonotonicSleep.TakeMainThreadNice();
        var schedule = new FixedRateSchedule(Stopwatch.GetTimestamp(), Stopwatch.Frequency, batchesPerSecond, batches);
        long released = 0;
        while (released < schedule.Slots && !stop.IsCancellationRequested)
        {
            long due = schedule.DueBy(Stopwatch.GetTimestamp());
            if (due > released)
            {
                release(due - released);
                released = due;
            }
            else
            {
                MonotonicSleep.Until(schedule.DueTicks(released));
            }
        }
    }
}
