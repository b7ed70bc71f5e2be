namespace Joold.FakeKernel;

/// <summary>
/// The slots of a fixed-rate load: slot i is due at <c>start + i × frequency / rate</c> clock ticks, computed from
/// the start each time (integer arithmetic), so no error accumulates however many slots pass or however late the
/// caller wakes up. Pure arithmetic: the caller reads the clock and sleeps.
/// </summary>
public sealed class FixedRateSchedule
{
    private readonly long _start;
    private readonly long _frequency;
    private readonly int _perSecond;

    /// <param name="startTicks">When slot 0 is due, in clock ticks.</param>
    /// <param name="frequency">Clock ticks per second (<see cref="System.Diagnostics.Stopwatch.Frequency"/>).</param>
    /// <param name="perSecond">Slots per second.</param>
    /// <param name="slots">How many slots there are.</param>
    public FixedRateSchedule(long startTicks, long frequency, int perSecond, long slots)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frequency);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        _start = startTicks;
        _frequency = frequency;
        _perSecond = perSecond;
        Slots = slots;
    }

    public long Slots { get; }

    /// <summary>When slot <paramref name="slot"/> (0-based) is due, in clock ticks.</summary>
    public long DueTicks(long slot) => _start + (long)((Int128)slot * _frequency / _perSecond);

    /// <summary>How many slots are due at <paramref name="nowTicks"/> (0 to <see cref="Slots"/>).</summary>
    public long DueBy(long nowTicks)
    {
        if (nowTicks < _start)
        {
            return 0;
        }

        // An estimate from the rate, then corrected against DueTicks so that both always agree.
        long due = Math.Min((long)((Int128)(nowTicks - _start) * _perSecond / _frequency) + 1, Slots);
        while (due < Slots && DueTicks(due) <= nowTicks)
        {
            due++;
        }

        while (due > 0 && DueTicks(due - 1) > nowTicks)
        {
            due--;
        }

        return due;
    }
}
