using Joold.Plugins.Tls;
using Joold.Relay;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Tls.Tests.Units;

public sealed class ResyncSchedulerTests
{
    [Fact]
    public async Task The_first_request_advertises_at_once_and_later_ones_merge_into_one_per_interval()
    {
        var time = new FakeTimeProvider();
        var advertiser = new RecordingAdvertiser(time);
        var logger = new RecordingLogger<ResyncSchedulerTests>();
        var scheduler = new ResyncScheduler(() => advertiser, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), time, logger);
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(stop.Token);

        scheduler.Request("gw2 joined");
        await Eventually.WaitAsync(() => advertiser.Calls.Count == 1, "the first advertisement");
        scheduler.Request("gw3 joined");
        scheduler.Request("gw4 restarted");
        time.Advance(TimeSpan.FromSeconds(9));
        await Eventually.WaitAsync(() => logger.Entries.Count >= 2, "the first advertisement logged");
        Assert.Single(advertiser.Calls);

        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.WaitAsync(() => advertiser.Calls.Count == 2, "the merged second advertisement");
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(10)], advertiser.Calls);
        Assert.Contains(logger.Messages(613), m => m.Contains("gw3 joined; gw4 restarted", StringComparison.Ordinal));
        Assert.Equal(2, scheduler.Advertisements);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task A_refused_advertisement_is_retried_and_a_missing_advertiser_is_said_once()
    {
        var time = new FakeTimeProvider();
        var advertiser = new RecordingAdvertiser(time) { FailuresLeft = 1 };
        var logger = new RecordingLogger<ResyncSchedulerTests>();
        var scheduler = new ResyncScheduler(() => advertiser, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), time, logger);
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(stop.Token);
        scheduler.Request("gw2 joined");
        await Eventually.WaitAsync(() => advertiser.Calls.Count == 1 && logger.Messages(614).Any(), "the refusal logged");
        Assert.Contains("joold advertisement already in progress.", Assert.Single(logger.Messages(614)), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.WaitAsync(() => scheduler.Advertisements == 1, "the retry");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var none = new ResyncScheduler(() => null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2), time, logger);
        using var stopNone = new CancellationTokenSource();
        var runNone = none.RunAsync(stopNone.Token);
        none.Request("a joined");
        none.Request("b joined");
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.WaitAsync(() => logger.Messages(615).Any(), "no advertiser said");
        await stopNone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runNone);
        Assert.Single(logger.Messages(615));
    }

    private sealed class RecordingAdvertiser(FakeTimeProvider time) : ISessionAdvertiser
    {
        private readonly DateTimeOffset _start = time.GetUtcNow();
        private readonly List<TimeSpan> _calls = [];

        public int FailuresLeft { get; set; }

        public IReadOnlyList<TimeSpan> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public ValueTask AdvertiseAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            lock (_calls)
            {
                _calls.Add(time.GetUtcNow() - _start);
            }

            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new InvalidOperationException("Jool instance 'default' refused the advertisement (error 22): joold advertisement already in progress.");
            }

            return ValueTask.CompletedTask;
        }
    }
}
