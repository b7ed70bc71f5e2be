using Joold.Core.Tests.Sessions;
using Joold.Relay;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Core.Tests.Relay;

public class SessionRelayFailureTests
{
    [Fact]
    public async Task A_sink_that_throws_is_logged_and_counted_and_still_gets_later_batches()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var flaky = new FakeSink("flaky peer", SessionSide.Peer) { Outcome = call => call == 0 ? throw new IOException("network is down") : true };
        var healthy = new FakeSink("healthy peer", SessionSide.Peer);
        await using var relay = new RelayHarness(kernel, flaky, healthy);
        var first = TestSessions.Container(1);
        var second = TestSessions.Container(2);

        await kernel.WriteAsync(first);
        await Eventually.WaitAsync(() => relay.Stats.SinkFailures == 1, "the flaky sink's failure to be counted");
        await kernel.WriteAsync(second);
        await Eventually.WaitAsync(() => flaky.Received.Count == 2 && healthy.Received.Count == 2, "both sinks to get the second batch");

        Assert.Equal([first, second], healthy.Received);
        Assert.Equal(second, flaky.Received[1]);
        Assert.Equal(3, relay.Stats.NetSentPackets);
        var logged = Assert.Single(relay.Log.Entries, e => e.EventId == 103);
        Assert.IsType<IOException>(logged.Exception);
        Assert.Contains("flaky peer", logged.Message, StringComparison.Ordinal);
        Assert.False(relay.Relay.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_refusing_sink_is_logged_at_most_ten_times_per_window_of_the_relays_clock()
    {
        var time = new FakeTimeProvider();
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var refusing = new FakeSink("refusing peer", SessionSide.Peer) { Outcome = _ => false };
        await using var relay = new RelayHarness(null, time, kernel, refusing);

        for (int i = 0; i < 12; i++)
        {
            await kernel.WriteAsync(TestSessions.Container(1));
        }

        await Eventually.WaitAsync(() => relay.Stats.SinkFailures == 12, "every refusal to be counted");
        Assert.Equal(10, relay.Log.WithId(102).Count());

        // However long that took in real time, only the relay's clock opens the next window.
        time.Advance(TimeSpan.FromSeconds(10));
        await kernel.WriteAsync(TestSessions.Container(1));
        await Eventually.WaitAsync(() => relay.Stats.SinkFailures == 13, "the next refusal to be counted");
        var messages = relay.Log.Messages(102).ToArray();
        Assert.Equal(11, messages.Length);
        Assert.Contains("2 more failures not logged", messages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_throws_at_once_faults_the_relay_completion_naming_it()
    {
        var broken = new FakeSource("broken kernel", SessionSide.Local, failOnRun: new InvalidOperationException("socket closed"));
        await using var relay = new RelayHarness(broken, new FakeSink("peer", SessionSide.Peer));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => relay.Relay.Completion.WithTimeout("the relay to fault"));

        Assert.Contains("broken kernel", error.Message, StringComparison.Ordinal);
        Assert.Contains("socket closed", error.Message, StringComparison.Ordinal);
        Assert.Contains(relay.Log.Entries, e => e.EventId == 104 && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task A_source_that_returns_on_its_own_faults_the_relay_completion()
    {
        var quitter = new QuittingSource();
        await using var relay = new RelayHarness(quitter, new FakeSink("peer", SessionSide.Peer));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => relay.Relay.Completion.WithTimeout("the relay to fault"));

        Assert.Contains("quitter", error.Message, StringComparison.Ordinal);
        Assert.Contains("stopped receiving on its own", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_fails_while_running_faults_the_relay_but_other_traffic_still_flows_until_stop()
    {
        var failing = new FakeSource("failing network", SessionSide.Peer);
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var peer = new FakeSink("peer", SessionSide.Peer);
        await using var relay = new RelayHarness(failing, kernel, peer);
        await failing.GetWriterAsync();

        failing.Fail(new IOException("receive failed"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => relay.Relay.Completion.WithTimeout("the relay to fault"));
        Assert.IsType<IOException>(error.InnerException);
        Assert.Equal(RelayResult.Accepted, await kernel.WriteAsync(TestSessions.Container(1)));
        await relay.StopAsync();

        Assert.Single(peer.Received);
    }

    [Fact]
    public async Task Stop_cancels_the_sources_and_drains_every_queued_batch_to_the_sinks()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var peer = new FakeSink("slow peer", SessionSide.Peer);
        peer.Hold();
        await using var relay = new RelayHarness(kernel, peer);
        var batches = Enumerable.Range(1, 5).Select(i => TestSessions.Container(i)).ToArray();
        foreach (var batch in batches)
        {
            await kernel.WriteAsync(batch);
        }

        var stopping = relay.StopAsync();
        await Eventually.WaitAsync(() => kernel.SawStop, "the stop to reach the source");
        Assert.False(stopping.IsCompleted, "the stop must wait for the held sink");
        peer.Release();
        await stopping;

        Assert.Equal(batches, peer.Received);
        Assert.Equal(5, relay.Stats.NetSentPackets);
        Assert.Equal(0, relay.Stats.Dropped);
        Assert.True(relay.Relay.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Every_concurrent_stop_and_dispose_waits_for_the_same_drain()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var peer = new FakeSink("slow peer", SessionSide.Peer);
        peer.Hold();
        var relay = new RelayHarness(kernel, peer);
        await kernel.WriteAsync(TestSessions.Container(1));
        await kernel.WriteAsync(TestSessions.Container(2));

        var first = relay.Relay.StopAsync();
        var second = relay.Relay.StopAsync();
        var disposing = relay.Relay.DisposeAsync().AsTask();
        await Eventually.WaitAsync(() => kernel.SawStop, "the stop to reach the source");

        Assert.False(second.IsCompleted, "a second stop must not return before the drain");
        Assert.False(disposing.IsCompleted, "a dispose must not return before the drain");
        peer.Release();
        await Task.WhenAll(first, second, disposing).WithTimeout("every stop to finish");
        Assert.Equal(2, peer.Received.Count);
        Assert.Equal(0, relay.Stats.Dropped);
        Assert.True(relay.Relay.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_relay_disposed_without_being_started_completes()
    {
        var relay = new SessionRelay([new FakeSource("kernel", SessionSide.Local)], [new FakeSink("peer", SessionSide.Peer)], new Joold.Stats.JooldCounters(), new RecordingLogger<SessionRelay>());

        await relay.DisposeAsync();

        Assert.True(relay.Completion.IsCompletedSuccessfully);
        Assert.Throws<InvalidOperationException>(relay.Start);
    }

    [Fact]
    public async Task Stop_gives_up_on_a_stuck_sink_after_the_drain_timeout_and_counts_what_was_lost()
    {
        var time = new FakeTimeProvider();
        var drainTimeout = TimeSpan.FromSeconds(5);
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var stuck = new FakeSink("stuck peer", SessionSide.Peer);
        stuck.Hold();
        await using var relay = new RelayHarness(new RelayOptions { DrainTimeout = drainTimeout }, time, kernel, stuck);
        for (int i = 0; i < 4; i++)
        {
            await kernel.WriteAsync(TestSessions.Container(1));
        }

        await Eventually.WaitAsync(() => stuck.Entered == 1, "the stuck sink to take the first batch");
        var stopping = relay.StopAsync();
        await Eventually.WaitAsync(() => kernel.SawStop, "the stop to reach the source");

        // Only the relay's clock ends the drain: however long the real wait, nothing gives up before it moves.
        time.Advance(drainTimeout - TimeSpan.FromTicks(1));
        Assert.False(stopping.IsCompleted, "the drain must not give up before its timeout");
        await Eventually.WaitAsync(
            () =>
            {
                // The drain's timer may not exist yet when the clock first moves; move it until the stop ends.
                time.Advance(drainTimeout);
                return stopping.IsCompleted;
            },
            "the drain to time out on the relay's clock");
        await stopping;

        var stats = relay.Stats;
        Assert.Empty(stuck.Received);
        Assert.Equal(1, stats.SinkFailures);
        Assert.Equal(3, stats.Dropped);
        Assert.Equal(0, stats.NetSentPackets);
        Assert.Contains(relay.Log.Entries, e => e.EventId == 106 && e.Message.Contains("stuck peer", StringComparison.Ordinal));
        Assert.True(relay.Relay.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_stop_whose_sinks_drain_in_time_does_not_wait_for_the_timeout()
    {
        var time = new FakeTimeProvider();
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var peer = new FakeSink("peer", SessionSide.Peer);
        await using var relay = new RelayHarness(new RelayOptions { DrainTimeout = TimeSpan.FromSeconds(5) }, time, kernel, peer);
        await kernel.WriteAsync(TestSessions.Container(1));

        // The relay's clock never moves: the stop can only end because the queue drained.
        await relay.StopAsync();

        Assert.Single(peer.Received);
        Assert.DoesNotContain(relay.Log.Entries, e => e.EventId == 106);
    }

    [Fact]
    public async Task Batches_written_after_stop_are_dropped_not_lost_silently()
    {
        var kernel = new FakeSource("kernel", SessionSide.Local);
        var peer = new FakeSink("peer", SessionSide.Peer);
        await using var relay = new RelayHarness(kernel, peer);
        var writer = await kernel.GetWriterAsync();

        await relay.StopAsync();
        var result = await writer.WriteAsync(TestSessions.Container(1), TestContext.Current.CancellationToken);

        Assert.Equal(RelayResult.Dropped, result);
        Assert.Equal(1, relay.Stats.Dropped);
        Assert.Equal(0, relay.Stats.KernelSentPackets);
        Assert.Empty(peer.Received);
        var logged = Assert.Single(relay.Log.WithId(107));
        Assert.Contains("'peer' is stopping", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(relay.Log.Entries, e => e.EventId == 101);
    }

    private sealed class QuittingSource : ISessionSource
    {
        public string Name => "quitter";

        public SessionSide Side => SessionSide.Local;

        public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
