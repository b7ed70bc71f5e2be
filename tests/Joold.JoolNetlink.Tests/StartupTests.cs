using Joold.FakeKernel;
using Joold.Plugins.JoolNetlink;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>StartAsync: resolution, group join, INSTANCE_HELLO (spec 8) and the errors an operator sees.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Start_resolves_the_family_through_the_peer_joins_the_group_and_says_hello()
    {
        await using var h = await PluginHarness.StartAsync();

        Assert.Equal(h.Fake.FamilyId, h.Channel.FamilyId);
        Assert.Equal(h.Fake.GroupId, h.Channel.GroupId);
        var resolve = h.Fake.Received[0];
        Assert.Equal(0x10, resolve.Type);
        Assert.Equal(3, resolve.Command);
        var hello = Assert.Single(h.Fake.ReceivedCommand(FakeJoolKernel.CmdInstanceHello));
        Assert.Equal(KernelToNetworkTests.ExpectedRequest(h, FakeJoolKernel.CmdInstanceHello, hello.Sequence), hello.Bytes);
        Assert.Single(h.Logger.WithId(303));
        Assert.Single(h.Logger.WithId(302));
    }

    [Fact]
    public async Task A_missing_instance_is_a_warning_not_a_failure()
    {
        await using var h = await PluginHarness.StartAsync(pluginInstance: TestSessions.UniqueInstance("m"));

        var warning = Assert.Single(h.Logger.WithId(304));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("jool instance add", warning.Message, StringComparison.Ordinal);
        Assert.False(h.RunTask.IsCompleted);
    }

    [Fact]
    public async Task A_hello_without_answer_or_refused_is_a_warning_not_a_failure()
    {
        // The HELLO timeout runs on the channel's clock: moved past it once the fake has the request.
        var clock = new FakeTimeProvider();
        await using var silent = await PluginHarness.StartAsync(
            beforeStart: f => f.Ignore(FakeJoolKernel.CmdInstanceHello),
            channelTime: clock,
            whileStarting: async fake =>
            {
                await Eventually.WaitAsync(() => fake.ReceivedCommand(FakeJoolKernel.CmdInstanceHello).Count == 1, "the HELLO at the fake");
                clock.Advance(TimeSpan.FromSeconds(2));
            });
        await using var refusing = await PluginHarness.StartAsync(beforeStart: f => f.ForcedError = (1, "Operation not permitted."));

        Assert.Contains("did not answer", Assert.Single(silent.Logger.WithId(305)).Message, StringComparison.Ordinal);
        Assert.Contains("Operation not permitted.", Assert.Single(refusing.Logger.WithId(305)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_port_id_nobody_holds_gives_a_clear_error()
    {
        var options = new JoolNetlinkOptions { NetlinkPeer = 0x7FFF_FFF0 };
        await using var channel = new JoolNetlinkChannel(options, new JooldCounters(), new RecordingLogger<JoolNetlinkChannel>());

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await channel.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("No netlink socket has port id 2147483632", e.Message, StringComparison.Ordinal);
        Assert.Contains("netlink peer", e.Message, StringComparison.Ordinal);
    }
}
