using Joold.FakeKernel;
using Joold.Plugins.JoolNetlink;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>The sink and component rules every transport follows (CONTRACT.md, IJooldComponent), one test each.</summary>
public sealed class ComponentRulesTests
{
    private static SessionBatch Batch => new(TestSessions.Container(1), SessionSide.Peer);

    [Fact]
    public async Task A_second_start_is_a_no_op_that_completes_at_once()
    {
        await using var h = await PluginHarness.StartAsync();
        uint port = h.Channel.PortId;

        var second = h.Channel.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(port, h.Channel.PortId);
        Assert.Single(h.Fake.Received, m => m.Type == 0x10);
        Assert.Single(h.Fake.ReceivedCommand(FakeJoolKernel.CmdInstanceHello));
    }

    [Fact]
    public async Task Start_after_dispose_throws_object_disposed()
    {
        var channel = NewChannel(new JoolNetlinkOptions());
        await channel.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await channel.StartAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_start_that_fails_leaves_the_channel_unstarted_and_its_socket_closed()
    {
        using var peer = new StuckKernel();
        await using var channel = NewChannel(new JoolNetlinkOptions { Instance = TestSessions.UniqueInstance("f"), NetlinkPeer = peer.PortId }, new FakeTimeProvider());
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var starting = channel.StartAsync(cancel.Token).AsTask();
        await peer.AnswerStartupAsync(TestContext.Current.CancellationToken, answerHello: false);
        ulong inode = OpenSockets.InodeOfPort(peer.ChannelPortId) ?? throw new InvalidOperationException("The channel's socket is not in /proc/self/net/netlink.");

        // Cancelled while it waits for the HELLO answer, with the receive loop already running.
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => starting);
        Assert.False(OpenSockets.IsOpen(inode));
        Assert.False(await channel.SendAsync(Batch, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<InvalidOperationException>(() => channel.RunAsync(new RecordingWriter(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Send_before_start_returns_false()
    {
        await using var channel = NewChannel(new JoolNetlinkOptions());

        Assert.False(await channel.SendAsync(Batch, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Send_after_dispose_returns_false_without_a_word()
    {
        await using var h = await PluginHarness.StartAsync();
        await h.Channel.DisposeAsync();

        Assert.False(await h.Channel.SendAsync(Batch, TestContext.Current.CancellationToken));
        Assert.Empty(h.Logger.WithId(311));
        Assert.Empty(h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdd));
    }

    [Fact]
    public async Task Run_before_start_throws_invalid_operation()
    {
        await using var channel = NewChannel(new JoolNetlinkOptions());

        await Assert.ThrowsAsync<InvalidOperationException>(() => channel.RunAsync(new RecordingWriter(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Run_returns_when_its_token_is_cancelled()
    {
        await using var h = await PluginHarness.StartAsync(run: false);
        using var stop = new CancellationTokenSource();
        var running = h.Channel.RunAsync(h.Writer, stop.Token);
        Assert.False(running.IsCompleted);

        await stop.CancelAsync();

        await running.WithTimeout("RunAsync to return once cancelled");
    }

    [Fact]
    public async Task Run_returns_when_the_channel_is_disposed()
    {
        await using var h = await PluginHarness.StartAsync(run: false);
        var running = h.Channel.RunAsync(h.Writer, CancellationToken.None);
        Assert.False(running.IsCompleted);

        await h.Channel.DisposeAsync();

        await running.WithTimeout("RunAsync to return once disposed");
    }

    [Fact]
    public async Task Dispose_is_idempotent_and_leaves_no_socket_open()
    {
        await using var h = await PluginHarness.StartAsync();
        ulong inode = OpenSockets.InodeOfPort(h.Channel.PortId) ?? throw new InvalidOperationException("The channel's socket is not in /proc/self/net/netlink.");
        Assert.True(OpenSockets.IsOpen(inode));

        await h.Channel.DisposeAsync();
        await h.Channel.DisposeAsync();

        Assert.False(OpenSockets.IsOpen(inode));
        Assert.Single(h.Logger.WithId(317));
        await h.RunTask.WithTimeout("RunAsync to return once disposed");
    }

    private static JoolNetlinkChannel NewChannel(JoolNetlinkOptions options, TimeProvider? time = null) =>
        new(options, new JooldCounters(), new RecordingLogger<JoolNetlinkChannel>(), time);
}
