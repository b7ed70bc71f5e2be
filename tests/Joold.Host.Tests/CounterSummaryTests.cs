using Joold.Host.Hosting;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Host.Tests;

/// <summary>The counters reach the log: every interval in which one moved, and once at stop.</summary>
public class CounterSummaryTests
{
    private const int SummaryEvent = 204;

    [Fact]
    public async Task The_summary_is_logged_each_interval_in_which_a_counter_moved_and_at_stop()
    {
        var ct = TestContext.Current.CancellationToken;
        var counters = new JooldCounters();
        var time = new FakeTimeProvider();
        var logger = new RecordingLogger<CounterSummaryService>();
        using var service = new CounterSummaryService(counters, time, TimeSpan.FromMinutes(5), logger);
        await service.StartAsync(ct);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(logger.WithId(SummaryEvent)); // nothing moved

        counters.Invalid(SessionSide.Peer);
        counters.Drop();
        time.Advance(TimeSpan.FromMinutes(5));
        string moved = Assert.Single(logger.Messages(SummaryEvent));
        Assert.Contains("INVALID_PEER=1 DROPPED=1 SINK_FAILURES=0", moved, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(logger.Messages(SummaryEvent)); // nothing moved since

        counters.SinkFailure();
        counters.Overrun();
        await service.StopAsync(ct);
        Assert.Equal(2, logger.Messages(SummaryEvent).Count());
        Assert.StartsWith("Counters at stop: KERNEL_SENT_PKTS=0 ", logger.Messages(SummaryEvent).Last(), StringComparison.Ordinal);
        Assert.EndsWith("INVALID_LOCAL=0 INVALID_PEER=1 DROPPED=1 SINK_FAILURES=1 OVERRUNS=1", logger.Messages(SummaryEvent).Last(), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(2, logger.Messages(SummaryEvent).Count()); // the timer ended with the stop
    }

    [Fact]
    public async Task Without_an_interval_the_summary_comes_only_at_stop()
    {
        var ct = TestContext.Current.CancellationToken;
        var counters = new JooldCounters();
        var time = new FakeTimeProvider();
        var logger = new RecordingLogger<CounterSummaryService>();
        using var service = new CounterSummaryService(counters, time, TimeSpan.Zero, logger);
        await service.StartAsync(ct);

        counters.KernelSent(100);
        time.Advance(TimeSpan.FromDays(1));
        Assert.Empty(logger.WithId(SummaryEvent));

        await service.StopAsync(ct);
        Assert.StartsWith("Counters at stop: KERNEL_SENT_PKTS=1 KERNEL_SENT_BYTES=100 ", Assert.Single(logger.Messages(SummaryEvent)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_names_every_counter_once()
    {
        string text = CounterSummary.Format(new StatsSnapshot { NetReceivedBytes = 7, LocalDeliveredSessions = 9 });

        Assert.Equal(
            "KERNEL_SENT_PKTS=0 KERNEL_SENT_BYTES=0 NET_RCVD_PKTS=0 NET_RCVD_BYTES=7 NET_SENT_PKTS=0 NET_SENT_BYTES=0 LOCAL_DELIVERED_PKTS=0 LOCAL_DELIVERED_BYTES=0 LOCAL_DELIVERED_SESSIONS=9 INVALID_LOCAL=0 INVALID_PEER=0 DROPPED=0 SINK_FAILURES=0 OVERRUNS=0",
            text);
    }
}
