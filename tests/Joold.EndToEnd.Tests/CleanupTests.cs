using Joold.EndToEnd.Tests.Support;
using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests;

/// <summary>
/// A test that fails half-way, with daemons and kernels running in its namespaces, still leaves nothing behind.
/// Passing tests are checked by <see cref="EndToEndNetwork.RunAsync"/> itself, and the whole run by
/// <see cref="NoLeftoversFixture"/>.
/// </summary>
public class CleanupTests
{
    [Fact]
    public async Task A_failing_test_leaves_no_namespace_or_process_behind()
    {
        TestNetwork? network = null;
        var processes = new List<int>();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => EndToEndNetwork.RunAsync(nodes: 2, async net =>
        {
            network = net.Network;
            foreach (var node in net.Nodes)
            {
                var box = await net.AddNodeAsync(node, MulticastConfig.For(node, MulticastConfig.Ipv6Group));
                await box.StartDaemonAsync();
                processes.AddRange(box.ProcessIds);
            }

            Assert.All(processes, p => Assert.True(Leftovers.IsRunning(p)));
            throw new InvalidOperationException("deliberate failure");
        }));

        Assert.Equal("deliberate failure", failure.Message);
        Assert.Equal(4, processes.Count);
        Assert.DoesNotContain(processes, Leftovers.IsRunning);
        Assert.NotNull(network);
        Assert.Empty(await network.FindLeftoversAsync());
        var existing = await TestNetwork.ListNamespacesAsync();
        Assert.DoesNotContain(network.NamespaceNames, existing.Contains);
    }
}
