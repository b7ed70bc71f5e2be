using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.Multicast.Tests;

/// <summary>The namespace fixture itself: it builds what it says, and leaves nothing behind.</summary>
public class TestNetworkTests
{
    [Fact]
    public async Task Nodes_get_their_own_namespace_addresses_and_a_working_lan()
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 2);

        var first = net.Nodes[0];
        var addresses = await first.ExecAsync("ip", "-o", "addr", "show", "dev", first.Interface);
        Assert.Contains($"{first.Ipv4}/24", addresses.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"{first.Ipv6}/64", addresses.StandardOutput, StringComparison.Ordinal);
        Assert.True(first.Interface.Length <= TestNames.MaxInterfaceName);
        Assert.StartsWith(TestNames.ProcessPrefix, first.Name, StringComparison.Ordinal);
        Assert.Empty((await first.IpAsync("-6", "addr", "show", "tentative")).StandardOutput.Trim());

        // The caller's namespace does not see the node's interface.
        var here = await Command.RunCheckedAsync("ip", "-o", "link", "show");
        Assert.DoesNotContain(first.Interface, here.StandardOutput, StringComparison.Ordinal);

        // Both nodes are ports of the LAN's bridge, and the caller's namespace has none of it.
        var ports = await Command.RunCheckedAsync("ip", "-n", net.SwitchNamespace, "-o", "link", "show", "master", net.Bridge);
        Assert.Equal(2, ports.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_process_runs_inside_its_node_with_its_output_captured()
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 1);

        var process = net.Nodes[0].StartProcess("sh", "-c", "ip -o -4 addr show; echo done; exec sleep 600");
        await process.WaitForOutputAsync("done");

        Assert.Contains(net.Nodes[0].Ipv4.ToString(), process.StandardOutput, StringComparison.Ordinal);
        Assert.False(process.HasExited);
    }

    [Fact]
    public async Task Disposing_removes_namespaces_links_and_processes()
    {
        TestNetwork net = await TestNetwork.CreateAsync(nodes: 2);
        var link = await net.ConnectAsync(net.Nodes[0], net.Nodes[1]);
        var process = net.StartProcess(net.Nodes[1], "sleep", "600");
        var names = net.NamespaceNames;
        Assert.Equal(3, names.Count);
        Assert.Contains(link.A, net.Nodes[0].Interfaces);
        Assert.NotEmpty(await net.FindLeftoversAsync());

        await net.DisposeAsync();

        Assert.Empty(await net.FindLeftoversAsync());
        Assert.True(process.HasExited);
        var existing = await TestNetwork.ListNamespacesAsync();
        Assert.DoesNotContain(existing, names.Contains);
    }

    [Fact]
    public async Task A_failing_test_still_leaves_nothing_behind()
    {
        TestNetwork? net = null;
        NamespaceProcess? process = null;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var network = await TestNetwork.CreateAsync(nodes: 1);
            net = network;
            process = network.StartProcess(network.Nodes[0], "sleep", "600");
            throw new InvalidOperationException("the test failed here");
        });

        Assert.Equal("the test failed here", error.Message);
        Assert.NotNull(net);
        Assert.Empty(await net.FindLeftoversAsync());
        Assert.True(process!.HasExited);
    }

    [Fact]
    public async Task The_static_check_finds_this_process_namespaces_by_name()
    {
        string stray = TestNames.Next('n');
        await Command.RunCheckedAsync("ip", "netns", "add", stray);
        try
        {
            var found = await TestNetwork.FindProcessLeftoversAsync();
            Assert.Contains($"namespace {stray}", found);
            Assert.Equal(Environment.ProcessId, TestNames.OwnerOf(stray));
            Assert.True(TestNames.IsOwnerAlive(stray));
        }
        finally
        {
            await Command.RunCheckedAsync("ip", "netns", "delete", stray);
        }

        Assert.DoesNotContain($"namespace {stray}", await TestNetwork.FindProcessLeftoversAsync());
    }

    [Fact]
    public async Task Namespaces_left_by_a_dead_test_process_are_removed_and_those_of_live_ones_kept()
    {
        int deadPid = Enumerable.Range(4_000_000, 100_000).First(pid => !Directory.Exists($"/proc/{pid}"));
        string stale = $"{TestNames.PrefixOf(deadPid)}nzz";
        string live = TestNames.Next('n');
        await Command.RunCheckedAsync("ip", "netns", "add", stale);
        await Command.RunCheckedAsync("ip", "netns", "add", live);
        try
        {
            // (The first network of the run may remove the stale one too: it runs the same cleanup once.)
            var removed = await TestNetwork.RemoveStaleAsync();

            Assert.DoesNotContain(live, removed);

            // Another test process's cleanup may be deleting the stale one at this moment (it then skips it here,
            // being unmounted but not yet unlinked), so its disappearance is waited for.
            var existing = await Eventually.ValueAsync(TestNetwork.ListNamespacesAsync, names => !names.Contains(stale), $"namespace {stale} removed");
            Assert.Contains(live, existing);
        }
        finally
        {
            await Command.RunAsync("ip", ["netns", "delete", stale], cancellationToken: TestContext.Current.CancellationToken);
            await Command.RunCheckedAsync("ip", "netns", "delete", live);
        }
    }

    [Fact]
    public void Names_are_unique_short_and_carry_the_process_id()
    {
        var names = Enumerable.Range(0, 500).Select(_ => TestNames.Next('v')).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.True(n.Length <= TestNames.MaxInterfaceName, n));
        Assert.All(names, n => Assert.Equal(Environment.ProcessId, TestNames.OwnerOf(n)));
        Assert.Null(TestNames.OwnerOf("eth0"));
    }
}
