using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that counts the timers created on it, so a test can move the clock in lock-step
/// with the code under test: advance, then wait until the code either finished or armed its next timer.
/// </summary>
public sealed class CountingTimeProvider : FakeTimeProvider
{
    private int _timers;

    public int TimersCreated => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
