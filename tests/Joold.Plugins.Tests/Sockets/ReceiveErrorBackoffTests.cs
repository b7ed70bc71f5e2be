using Joold.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Plugins.Tests.Sockets;

public sealed class ReceiveErrorBackoffTests
{
    [Fact]
    public void Pauses_double_from_the_first_to_the_bound_and_stay_there()
    {
        var backoff = new ReceiveErrorBackoff(new FakeTimeProvider(), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        var pauses = new List<TimeSpan>();

        for (int i = 0; i < 10; i++)
        {
            pauses.Add(backoff.NextPause);
            _ = backoff.PauseAsync(CancellationToken.None);
        }

        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000], pauses.Select(p => p.TotalMilliseconds));
        Assert.Equal(10, backoff.ConsecutiveErrors);
    }

    [Fact]
    public void A_success_makes_the_next_pause_short_again()
    {
        var backoff = new ReceiveErrorBackoff(new FakeTimeProvider());
        for (int i = 0; i < 5; i++)
        {
            _ = backoff.PauseAsync(CancellationToken.None);
        }

        backoff.Reset();

        Assert.Equal(ReceiveErrorBackoff.DefaultFirstPause, backoff.NextPause);
        Assert.Equal(0, backoff.ConsecutiveErrors);
    }

    [Fact]
    public void A_pause_ends_when_the_clock_reaches_it_and_not_before()
    {
        var time = new FakeTimeProvider();
        var backoff = new ReceiveErrorBackoff(time, TimeSpan.FromMilliseconds(100));

        var pause = backoff.PauseAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(pause.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(pause.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_pause_ends_at_once_when_cancelled()
    {
        using var stop = new CancellationTokenSource();
        var backoff = new ReceiveErrorBackoff(new FakeTimeProvider());
        var pause = backoff.PauseAsync(stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pause);
    }

    [Fact]
    public void Pauses_that_are_not_positive_or_a_bound_below_the_first_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReceiveErrorBackoff(firstPause: TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReceiveErrorBackoff(firstPause: TimeSpan.FromSeconds(2), maxPause: TimeSpan.FromSeconds(1)));
    }
}
