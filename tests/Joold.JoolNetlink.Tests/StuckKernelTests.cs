using Joold.FakeKernel;
using Joold.Plugins.JoolNetlink;
using Joold.Plugins.JoolNetlink.Kernel;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// A netlink peer that never reads (<see cref="StuckKernel"/>): sends to it meet EAGAIN. No thread waits for it: the
/// sink returns a pending task retried on the clock, gives up at its bound and counts it, and everything else goes on.
/// The channel runs on a clock that moves only when the test moves it, in lock-step with the retries.
/// </summary>
public sealed class StuckKernelTests
{
    /// <summary>The longest retry interval: moving the clock by this much always reaches the next retry.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(32);

    [Fact]
    public async Task A_joold_add_to_a_peer_that_never_reads_is_pending_then_given_up_at_its_bound_and_counted()
    {
        await using var stuck = await StuckChannel.StartAsync();

        var pending = stuck.FillPeerQueue(TestContext.Current.CancellationToken);
        long pendingSince = stuck.Time.GetTimestamp();
        await stuck.AdvanceUntilAsync(() => pending.IsCompleted);

        Assert.False(await pending);
        Assert.InRange(stuck.Time.GetElapsedTime(pendingSince), KernelConnection.SendGiveUpAfter, KernelConnection.SendGiveUpAfter + Step);
        Assert.Equal(1, stuck.Channel.SendsAbandoned);
        var log = Assert.Single(stuck.Logger.WithId(318));
        Assert.Contains("JOOLD_ADD", log.Message, StringComparison.Ordinal);
        Assert.Contains($"netlink port id {stuck.Peer.PortId}", log.Message, StringComparison.Ordinal);
        Assert.Empty(stuck.Logger.WithId(311));
    }

    [Fact]
    public async Task While_a_send_to_a_stuck_peer_waits_the_receive_loop_and_another_channel_keep_working()
    {
        await using var stuck = await StuckChannel.StartAsync();
        await using var healthy = await PluginHarness.StartAsync();
        var pending = stuck.FillPeerQueue(TestContext.Current.CancellationToken);

        // The stuck channel's receive loop still takes a kernel batch and forwards it.
        byte[] container = TestSessions.Container(2, tag: 3);
        stuck.Peer.SendSessions(stuck.Instance, container);
        await Eventually.WaitAsync(() => stuck.Writer.Contains(container), "the stuck channel to forward a kernel batch");

        // Another channel forwards, ACKs and sends JOOLD_ADD as usual.
        healthy.Fake.Inject(healthy.Instance, TestSessions.Many(36, tag: 4));
        Assert.True(await healthy.Channel.SendAsync(new SessionBatch(TestSessions.Container(1, tag: 5), SessionSide.Peer), TestContext.Current.CancellationToken));
        await Eventually.WaitAsync(() => healthy.AcksReceived == 1 && healthy.Fake.GetStats(healthy.Instance).PktRcvd == 1, "the healthy channel's ACK and ADD");
        Assert.False(pending.IsCompleted);

        // The ADD and the stuck batch's ACK are both given up at their bound, without a thread blocked meanwhile.
        await stuck.AdvanceUntilAsync(() => pending.IsCompleted && stuck.Channel.SendsAbandoned == 2);
        Assert.False(await pending);
        Assert.Equal(0, stuck.Channel.AcksSent);
    }

    [Fact]
    public async Task While_the_peer_queue_is_full_every_kernel_batch_is_forwarded_without_waiting_for_its_ack()
    {
        await using var stuck = await StuckChannel.StartAsync();
        var pending = stuck.FillPeerQueue(TestContext.Current.CancellationToken);
        byte[][] containers = [.. Enumerable.Range(0, 5).Select(i => TestSessions.Container(1, tag: 10 + i))];

        foreach (byte[] container in containers)
        {
            stuck.Peer.SendSessions(stuck.Instance, container);
        }

        // The clock has not moved, so no ACK has been given up: yet every batch went on to the relay.
        await Eventually.WaitAsync(() => containers.All(c => stuck.Writer.Contains(c)), "every kernel batch to be forwarded while their ACKs cannot leave");
        Assert.False(pending.IsCompleted);

        // One ACK waits for room and the others are merged into it; it is given up at its bound, as the ADD is.
        await stuck.AdvanceUntilAsync(() => pending.IsCompleted && stuck.Channel.SendsAbandoned == 2);
        Assert.Equal(containers.Length - 1, stuck.Channel.AcksMerged);
        Assert.Equal(0, stuck.Channel.AcksSent);
    }

    [Fact]
    public async Task A_cancelled_send_to_a_stuck_peer_ends_without_the_clock_moving()
    {
        await using var stuck = await StuckChannel.StartAsync();
        using var cancel = new CancellationTokenSource();
        var pending = stuck.FillPeerQueue(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WithTimeout("the cancelled send to end"));
        Assert.Equal(0, stuck.Channel.SendsAbandoned);
    }

    [Fact]
    public async Task Disposing_ends_a_pending_send_with_false_and_closes_the_socket()
    {
        var stuck = await StuckChannel.StartAsync();
        var pending = stuck.FillPeerQueue(TestContext.Current.CancellationToken);
        ulong inode = OpenSockets.InodeOfPort(stuck.Channel.PortId) ?? throw new InvalidOperationException("The channel's socket is not in /proc/self/net/netlink.");

        await stuck.DisposeAsync().AsTask().WithTimeout("the channel to close");

        Assert.False(await pending.WithTimeout("the pending send to end"));
        Assert.False(OpenSockets.IsOpen(inode));
    }

    /// <summary>A started channel whose netlink peer is a <see cref="StuckKernel"/>.</summary>
    private sealed class StuckChannel : IAsyncDisposable
    {
        private readonly CancellationTokenSource _run = new();
        private Task _running = Task.CompletedTask;

        private StuckChannel(StuckKernel peer, string instance)
        {
            Peer = peer;
            Instance = instance;
            Channel = new JoolNetlinkChannel(new JoolNetlinkOptions { Instance = instance, NetlinkPeer = peer.PortId }, new JooldCounters(), Logger, Time);
        }

        public StuckKernel Peer { get; }

        public JoolNetlinkChannel Channel { get; }

        public string Instance { get; }

        public CountingTimeProvider Time { get; } = new();

        public RecordingLogger<JoolNetlinkChannel> Logger { get; } = new();

        public RecordingWriter Writer { get; } = new();

        public static async Task<StuckChannel> StartAsync()
        {
            var stuck = new StuckChannel(new StuckKernel(), TestSessions.UniqueInstance("s"));
            var answering = stuck.Peer.AnswerStartupAsync(TestContext.Current.CancellationToken);
            await stuck.Channel.StartAsync(TestContext.Current.CancellationToken);
            await answering.WithTimeout("the stuck peer to answer the start-up");
            stuck._running = stuck.Channel.RunAsync(stuck.Writer, stuck._run.Token);
            return stuck;
        }

        /// <summary>Sends JOOLD_ADDs until the peer's queue is full; returns the first one that did not complete at once.</summary>
        public Task<bool> FillPeerQueue(CancellationToken cancellationToken)
        {
            var batch = new SessionBatch(TestSessions.Container(36), SessionSide.Peer);
            for (int i = 0; i < 10_000; i++)
            {
                var send = Channel.SendAsync(batch, cancellationToken);
                if (!send.IsCompleted)
                {
                    return send.AsTask();
                }

                Assert.True(send.Result, $"JOOLD_ADD {i} failed before the peer's queue was full");
            }

            throw new InvalidOperationException("The stuck peer's queue never filled.");
        }

        /// <summary>Moves the clock one retry interval at a time, each time waiting until a retry armed its next timer, until <paramref name="done"/>.</summary>
        public async Task AdvanceUntilAsync(Func<bool> done)
        {
            for (int step = 0; !done(); step++)
            {
                Assert.True(step < 1000, "the clock moved far past every bound without the sends ending");
                int timers = Time.TimersCreated;
                Time.Advance(Step);
                await Eventually.WaitAsync(() => done() || Time.TimersCreated > timers, "a retry to arm its next timer or the sends to end");
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _run.CancelAsync();
            await _running;
            await Channel.DisposeAsync();
            Peer.Dispose();
            _run.Dispose();
        }
    }
}
