using Joold.FakeKernel;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>ISessionAdvertiser: JOOLD_ADVERTISE byte-exact, and the three outcomes (spec 4.5).</summary>
public sealed class AdvertiseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Advertise_sends_the_exact_request_and_the_kernel_then_sends_every_session()
    {
        await using var h = await PluginHarness.StartAsync(settings: new FakeInstanceSettings { MaxSessionsPerPacket = 4 });
        h.Fake.Inject(h.Instance, TestSessions.Many(4, tag: 1));
        await Eventually.WaitAsync(() => h.AcksReceived == 1, "the live batch to be ACKed");

        await h.Channel.AdvertiseAsync(Timeout, TestContext.Current.CancellationToken);

        var request = Assert.Single(h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdvertise));
        Assert.Equal(KernelToNetworkTests.ExpectedRequest(h, FakeJoolKernel.CmdJooldAdvertise, request.Sequence), request.Bytes);
        Assert.Equal(1, h.Fake.GetStats(h.Instance).Ads);
        await Eventually.WaitAsync(() => h.Writer.Batches.Count == 2 && h.AcksReceived == 2, "the advertised batch");
        Assert.Empty(h.Logger.WithId(313));
    }

    [Fact]
    public async Task A_refused_advertisement_throws_with_the_kernel_text()
    {
        await using var h = await PluginHarness.StartAsync(settings: new FakeInstanceSettings { Enabled = false });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await h.Channel.AdvertiseAsync(Timeout, TestContext.Current.CancellationToken));

        Assert.Contains("Session sync is disabled on this instance.", e.Message, StringComparison.Ordinal);
        Assert.Contains(h.Instance, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Channel.AcksSent);
    }

    [Fact]
    public async Task An_advertisement_already_in_progress_is_refused()
    {
        await using var h = await PluginHarness.StartAsync(settings: new FakeInstanceSettings { MaxSessionsPerPacket = 2 });
        h.Fake.AckMode = AckMode.Drop;
        h.Fake.Inject(h.Instance, TestSessions.Many(5, tag: 2));

        await h.Channel.AdvertiseAsync(Timeout, TestContext.Current.CancellationToken);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await h.Channel.AdvertiseAsync(Timeout, TestContext.Current.CancellationToken));

        Assert.Contains("joold advertisement already in progress.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_answer_is_a_timeout_on_the_channels_clock()
    {
        var clock = new FakeTimeProvider();
        await using var h = await PluginHarness.StartAsync(channelTime: clock);
        h.Fake.Ignore(FakeJoolKernel.CmdJooldAdvertise);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => AdvertiseUnansweredAsync(h, clock));

        Assert.Contains("JOOLD_ADVERTISE", e.Message, StringComparison.Ordinal);
        Assert.Contains("within 30 s", e.Message, StringComparison.Ordinal);
        Assert.Single(h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdvertise));
    }

    [Fact]
    public async Task A_late_answer_after_a_timeout_is_not_taken_for_a_multicast()
    {
        var clock = new FakeTimeProvider();
        await using var h = await PluginHarness.StartAsync(channelTime: clock);
        h.Fake.Ignore(FakeJoolKernel.CmdJooldAdvertise);
        await Assert.ThrowsAsync<TimeoutException>(() => AdvertiseUnansweredAsync(h, clock));
        var request = h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdvertise).Single();
        var header = request.Bytes.AsSpan(20, 28).ToArray();

        h.Fake.SendTo(h.Channel.PortId, KernelMessages.Reply(h.Fake.FamilyId, request.Sequence, h.Channel.PortId, header));
        await h.SentinelAsync();

        Assert.Equal(1, h.Channel.AcksSent);
        Assert.Equal(0, h.Channel.MalformedMessages);
    }

    /// <summary>Advertises with a 30 s timeout and moves the clock past it once the fake has the request.</summary>
    private static async Task AdvertiseUnansweredAsync(PluginHarness h, FakeTimeProvider clock)
    {
        var advertise = h.Channel.AdvertiseAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken).AsTask();
        await Eventually.WaitAsync(() => h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdvertise).Count == 1, "the ADVERTISE at the fake");
        Assert.False(advertise.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(30));
        await advertise.WithTimeout("the advertisement to time out");
    }
}
