using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Joold.FakeKernel;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.Host.Tests;

/// <summary>
/// Whatever stops the published daemon from starting, the operator reads exactly one line on stderr and gets exit
/// code 1; the stack trace comes only at <c>--log-level Debug</c>. Run at <c>--log-level Warning</c>, so the
/// information lines of a normal start are not there and stderr holds the failure alone.
/// </summary>
[Collection(nameof(PublishedJooldCollection))]
public class StartFailureTests(PublishedJoold published)
{
    [Fact]
    public async Task Without_jool_in_a_fresh_network_namespace_proxy_fails_with_one_line()
    {
        await using var network = await TestNetwork.CreateAsync(1);

        string line = await AssertFailsWithOneLineAsync(["proxy", "ff08::db8:64:64"], network.Nodes[0].Name);

        Assert.Contains("plugin 'JoolNetlink'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_fails_with_one_line()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        string line = await AssertRunFailsWithOneLineAsync(new() { ["Unicast"] = new { listen = $"127.0.0.1:{port}", peers = new[] { "127.0.0.1:9" } } });

        Assert.Contains("plugin 'Unicast'", line, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listen_address_that_is_not_local_fails_with_one_line()
    {
        string line = await AssertRunFailsWithOneLineAsync(new() { ["Unicast"] = new { listen = "192.0.2.1:7000", peers = new[] { "127.0.0.1:9" } } });

        Assert.Contains("plugin 'Unicast'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unresolvable_stats_address_fails_with_one_line()
    {
        string line = await AssertRunFailsWithOneLineAsync(new() { ["StatsUdp"] = new { address = "joold-test.invalid", port = "6401" } }, peerSide: true);

        Assert.Contains("plugin 'StatsUdp'", line, StringComparison.Ordinal);
        Assert.Contains("joold-test.invalid", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unresolvable_multicast_address_fails_with_one_line()
    {
        string line = await AssertRunFailsWithOneLineAsync(new() { ["Multicast"] = new Dictionary<string, object> { ["multicast address"] = "joold-test.invalid" } });

        Assert.Contains("plugin 'Multicast'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_in_interface_that_does_not_exist_fails_with_one_line()
    {
        string line = await AssertRunFailsWithOneLineAsync(new()
        {
            ["Multicast"] = new Dictionary<string, object> { ["multicast address"] = "ff08::db8:64:64", ["in interface"] = "nosuchif0" },
        });

        Assert.Contains("nosuchif0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_netlink_peer_that_does_not_exist_fails_with_one_line()
    {
        string line = await AssertRunFailsWithOneLineAsync(
            new() { ["JoolNetlink"] = new Dictionary<string, object> { ["instance"] = "x", ["netlink peer"] = 2_147_480_000 } }, kernelSide: false, peerSide: true);

        Assert.Contains("plugin 'JoolNetlink'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_configuration_file_fails_with_one_line()
    {
        using var dir = new TempDirectory();

        await AssertFailsWithOneLineAsync(["run", Path.Combine(dir.Path, "missing.json")]);
    }

    [Fact]
    public async Task At_debug_level_the_stack_trace_comes_before_the_one_line()
    {
        using var dir = new TempDirectory();
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string config = dir.File("joold.json", JsonSerializer.Serialize(WithRelay(new() { ["StatsUdp"] = new { address = "joold-test.invalid", port = "6401" } }, kernel, peerSide: true)));
        await using var daemon = DaemonProcess.Start(published.Joold, ["run", config, "--log-level", "Debug"], dir.Path);

        Assert.Equal(1, await daemon.WaitForExitAsync());
        string[] lines = Lines(daemon.StandardError);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at Joold.", StringComparison.Ordinal));
        Assert.StartsWith("joold: plugin 'StatsUdp'", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("Hosting failed to start", StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs <paramref name="configuration"/> with what else a relay needs (a fake kernel's JoolNetlink, a Unicast on
    /// loopback), so the start gets past the check that there is something to relay and fails where the test says.
    /// </summary>
    private async Task<string> AssertRunFailsWithOneLineAsync(Dictionary<string, object> configuration, bool kernelSide = true, bool peerSide = false)
    {
        using var dir = new TempDirectory();
        await using var kernel = kernelSide ? await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken) : null;
        string config = dir.File("joold.json", JsonSerializer.Serialize(WithRelay(configuration, kernel, peerSide)));
        return await AssertFailsWithOneLineAsync(["run", config]);
    }

    private static Dictionary<string, object> WithRelay(Dictionary<string, object> configuration, FakeKernelProcess? kernel, bool peerSide)
    {
        if (kernel is not null)
        {
            configuration["JoolNetlink"] = new Dictionary<string, object> { ["instance"] = "default", ["netlink peer"] = kernel.PortId };
        }

        if (peerSide)
        {
            configuration["Unicast"] = new { listen = "127.0.0.1:0", peers = new[] { "127.0.0.1:9" } };
        }

        return configuration;
    }

    private async Task<string> AssertFailsWithOneLineAsync(string[] args, string? networkNamespace = null)
    {
        await using var daemon = DaemonProcess.Start(published.Joold, [.. args, "--log-level", "Warning"], published.Directory, networkNamespace: networkNamespace);

        int exitCode = await daemon.WaitForExitAsync();

        string line = Assert.Single(Lines(daemon.StandardError));
        Assert.StartsWith("joold: ", line, StringComparison.Ordinal);
        Assert.Equal(1, exitCode);
        Assert.Equal("", daemon.StandardOutput);
        return line;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
