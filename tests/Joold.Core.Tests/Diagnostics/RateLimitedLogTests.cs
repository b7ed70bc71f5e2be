using Joold.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Core.Tests.Diagnostics;

/// <summary>
/// On a <see cref="FakeTimeProvider"/>, which ticks at 10 MHz: not the Stopwatch frequency (1 GHz on Linux), so a
/// window computed in Stopwatch units would be wrong here.
/// </summary>
public class RateLimitedLogTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Lets_a_burst_through_then_holds_back_the_rest_of_the_window()
    {
        var log = new RateLimitedLog(burst: 3, window: TimeSpan.FromSeconds(10), time: _clock);

        for (int i = 0; i < 3; i++)
        {
            Assert.True(log.TryEnter(out long suppressed));
            Assert.Equal(0, suppressed);
        }

        Assert.False(log.TryEnter(out long held));
        Assert.Equal(0, held);
        _clock.Advance(TimeSpan.FromSeconds(9.999));
        Assert.False(log.TryEnter(out _));
    }

    [Fact]
    public void A_new_window_lets_events_through_and_reports_how_many_were_held_back()
    {
        var log = new RateLimitedLog(burst: 2, window: TimeSpan.FromSeconds(10), time: _clock);
        Assert.True(log.TryEnter(out _));
        Assert.True(log.TryEnter(out _));
        for (int i = 0; i < 5; i++)
        {
            Assert.False(log.TryEnter(out _));
        }

        _clock.Advance(TimeSpan.FromSeconds(10));

        Assert.True(log.TryEnter(out long suppressed));
        Assert.Equal(5, suppressed);
        Assert.True(log.TryEnter(out suppressed));
        Assert.Equal(0, suppressed);
        Assert.False(log.TryEnter(out _));
    }

    [Fact]
    public void Held_back_events_are_reported_even_after_several_quiet_windows()
    {
        var log = new RateLimitedLog(burst: 1, window: TimeSpan.FromSeconds(1), time: _clock);
        Assert.True(log.TryEnter(out _));
        Assert.False(log.TryEnter(out _));
        Assert.False(log.TryEnter(out _));

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.True(log.TryEnter(out long suppressed));
        Assert.Equal(2, suppressed);
    }

    [Fact]
    public void The_default_window_is_ten_seconds_on_any_clock()
    {
        var log = new RateLimitedLog(burst: 1, time: _clock);
        Assert.True(log.TryEnter(out _));

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.False(log.TryEnter(out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(log.TryEnter(out long suppressed));
        Assert.Equal(1, suppressed);
    }

    [Fact]
    public async Task Concurrent_callers_get_exactly_the_burst_in_one_window()
    {
        var log = new RateLimitedLog(burst: 10, window: TimeSpan.FromSeconds(10), time: _clock);
        int entered = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                if (log.TryEnter(out _))
                {
                    Interlocked.Increment(ref entered);
                }
            }
        })));

        Assert.Equal(10, entered);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.True(log.TryEnter(out long suppressed));
        Assert.Equal(3990, suppressed);
    }
}
