using Joold.Netlink;
using Joold.Plugins.JoolNetlink;
using Joold.Stats;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Against this machine's kernel, which has generic netlink. The tests that need the Jool module absent skip, with
/// the reason, where the kernel knows the "Jool" family.
/// </summary>
public sealed class RealKernelTests
{
    private const string JoolPresent =
        "The kernel has the generic netlink family 'Jool' (the Jool module is loaded in this network namespace); this test needs it absent.";

    [Fact]
    public async Task The_kernel_resolves_nlctrl()
    {
        using var socket = NetlinkSocket.Open();

        var family = await GenericNetlinkResolver.ResolveAsync(socket, NetlinkAddress.Create(0), "nlctrl", 1, TimeSpan.FromSeconds(5), TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.NotNull(family);
        Assert.Equal(0x10, family.Id);
        Assert.Equal("nlctrl", family.Name);
        Assert.Equal(0x10u, family.Groups["notify"]);
    }

    [Fact]
    public async Task Without_the_jool_module_start_fails_with_one_line_that_says_to_load_it()
    {
        Assert.SkipWhen(await KernelHasJoolAsync(), JoolPresent);
        await using var channel = new JoolNetlinkChannel(new JoolNetlinkOptions(), new JooldCounters(), new RecordingLogger<JoolNetlinkChannel>());

        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await channel.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Jool kernel module is not loaded in this network namespace", e.Message, StringComparison.Ordinal);
        Assert.Contains("modprobe jool", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task The_kernel_answers_an_unknown_family_with_enoent()
    {
        using var socket = NetlinkSocket.Open();

        var family = await GenericNetlinkResolver.ResolveAsync(socket, NetlinkAddress.Create(0), "NoSuchFamily", 7, TimeSpan.FromSeconds(5), TimeProvider.System, TestContext.Current.CancellationToken);

        Assert.Null(family);
    }

    private static async Task<bool> KernelHasJoolAsync()
    {
        using var socket = NetlinkSocket.Open();
        return await GenericNetlinkResolver.ResolveAsync(socket, NetlinkAddress.Create(0), "Jool", 3, TimeSpan.FromSeconds(5), TimeProvider.System, TestContext.Current.CancellationToken) is not null;
    }
}
