using Joold.FakeKernel;

namespace Joold.LoadTest.Tests;

public class FixedRateScheduleTests
{
    private const long Nanoseconds = 1_000_000_000;

    [Fact]
    public void Slot_i_is_due_at_start_plus_i_periods()
    {
        var schedule = new FixedRateSchedule(startTicks: 5_000, frequency: Nanoseconds, perSecond: 1000, slots: 10);

        Assert.Equal([5_000L, 1_005_000L, 2_005_000L, 9_005_000L], new long[] { 0, 1, 2, 9 }.Select(schedule.DueTicks));
    }

    [Fact]
    public void No_error_accumulates_when_the_period_is_not_a_whole_number_of_ticks()
    {
        // 3 per second on a 10 MHz clock: 3,333,333.33 ticks per slot; summing a rounded period would drift.
        var schedule = new FixedRateSchedule(startTicks: 0, frequency: 10_000_000, perSecond: 3, slots: 3_000_001);

        Assert.Equal(10_000_000L, schedule.DueTicks(3));
        Assert.Equal(10_000_000_000_000L, schedule.DueTicks(3_000_000));
    }

    [Fact]
    public void Due_by_counts_the_slots_due_at_a_time()
    {
        var schedule = new FixedRateSchedule(startTicks: 1_000, frequency: Nanoseconds, perSecond: 1000, slots: 5);

        Assert.Equal(0, schedule.DueBy(999));
        Assert.Equal(1, schedule.DueBy(1_000));
        Assert.Equal(1, schedule.DueBy(1_000_999));
        Assert.Equal(2, schedule.DueBy(1_001_000));
    }

    [Fact]
    public void A_late_wake_up_finds_every_slot_it_missed_but_never_more_than_there_are()
    {
        var schedule = new FixedRateSchedule(startTicks: 0, frequency: Nanoseconds, perSecond: 1000, slots: 100);

        Assert.Equal(8, schedule.DueBy(7_500_000));
        Assert.Equal(100, schedule.DueBy(long.MaxValue / 2));
    }

    [Theory]
    [InlineData(1_000, 1_000_000_000L)]
    [InlineData(7, 1_000_000_000L)]
    [InlineData(999_983, 10_000_000L)]
    [InlineData(3, 10_000_000L)]
    public void Due_by_agrees_with_due_ticks_around_every_slot(int perSecond, long frequency)
    {
        var schedule = new FixedRateSchedule(startTicks: 123_456, frequency: frequency, perSecond: perSecond, slots: 200);

        for (long slot = 0; slot < schedule.Slots; slot++)
        {
            long due = schedule.DueTicks(slot);
            Assert.Equal(slot + 1, schedule.DueBy(due));
            Assert.True(schedule.DueBy(due - 1) <= slot, $"slot {slot} due before {due}");
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedRateSchedule(0, Nanoseconds, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedRateSchedule(0, 0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedRateSchedule(0, Nanoseconds, 1, -1));
    }
}
