namespace Joold.LoadTest.Tests;

public class WarmupTests
{
    [Fact]
    public void Fewer_windows_than_needed_never_settle() =>
        Assert.False(Warmup.Settled([(20, 10), (20, 10)]));

    [Fact]
    public void The_last_windows_settle_when_both_daemons_agree_within_the_tolerance()
    {
        // The first window (JIT still running) is far off; only the last three count.
        Assert.True(Warmup.Settled([(90, 70), (21, 10.2), (20, 10), (20.5, 9.8)]));
    }

    [Fact]
    public void One_daemon_still_moving_is_not_settled()
    {
        Assert.False(Warmup.Settled([(20, 14), (20, 12), (20, 10)]));
        Assert.False(Warmup.Settled([(30, 10), (25, 10), (20, 10)]));
    }

    [Fact]
    public void Tiny_figures_agree_within_the_absolute_tolerance() =>
        Assert.True(Warmup.Settled([(1.0, 0.5), (1.4, 0.9), (1.2, 0.7)]));

    [Theory]
    [InlineData(1000, 500)]
    [InlineData(30_000, 15_000)]
    [InlineData(10, 50)]
    [InlineData(1e9, 200_000)]
    [InlineData(double.NaN, 50)]
    [InlineData(0, 50)]
    public void The_next_window_lasts_about_half_a_second_at_the_rate_seen(double rate, int batches) =>
        Assert.Equal(batches, Warmup.NextChunk(rate));

    [Fact]
    public void The_first_window_follows_the_mode()
    {
        Assert.Equal(500, Warmup.FirstChunk(LoadMode.Rate, 1000));
        Assert.Equal(200, Warmup.FirstChunk(LoadMode.Sequential, 1000));
        Assert.Equal(1_000, Warmup.FirstChunk(LoadMode.Paced, 1000));
    }
}
