namespace Joold.LoadTest.Tests;

public class CpuClockTests
{
    [Fact]
    public void The_clock_id_is_glibcs_process_cpu_clock_of_the_pid()
    {
        // clock_getcpuclockid: MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED) = (~pid << 3) | 2.
        Assert.Equal(-14, ProcessCpuClock.ClockOf(1));
        Assert.Equal((~4242 << 3) | 2, ProcessCpuClock.ClockOf(4242));
    }

    [Fact]
    public void A_process_cpu_time_reads_in_nanoseconds_and_never_goes_back()
    {
        long first = ProcessCpuClock.ReadNanoseconds(Environment.ProcessId);
        long second = ProcessCpuClock.ReadNanoseconds(Environment.ProcessId);

        Assert.True(first > 0);
        Assert.True(second >= first);
    }

    [Fact]
    public void A_sample_has_the_exact_time_and_the_ticks()
    {
        var sample = CpuSample.Read(Environment.ProcessId);

        Assert.True(sample.Nanoseconds > 0);
        Assert.Equal(sample.Nanoseconds / 1000.0, sample.Microseconds);
        Assert.True(sample.ContextSwitches > 0);
    }

    [Fact]
    public void A_difference_subtracts_every_field()
    {
        var difference = new CpuSample(5, 7, 11, 13_000) - new CpuSample(1, 2, 3, 4_000);

        Assert.Equal(new CpuSample(4, 5, 8, 9_000), difference);
        Assert.Equal(9.0, difference.Microseconds);
    }

    [Fact]
    public void A_process_that_does_not_exist_fails_with_an_IO_error() =>
        Assert.Throws<IOException>(() => ProcessCpuClock.ReadNanoseconds(int.MaxValue >> 3)); // above any pid_max (2^22)

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void A_pid_the_clock_id_cannot_hold_is_refused(int processId) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessCpuClock.ClockOf(processId));
}
