using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>
/// A <see cref="TestNetwork"/> plus the joold nodes a test puts on it. <see cref="RunAsync"/> always tears it all
/// down (daemons and kernels first, since a process inside keeps a namespace alive, then the namespaces), and
/// after a test that passed, asserts that nothing is left: no namespace of this network, no process it started.
/// </summary>
internal sealed class EndToEndNetwork
{
    private readonly List<JooldNode> _nodes = [];

    private EndToEndNetwork(TestNetwork network)
    {
        Network = network;
    }

    public TestNetwork Network { get; }

    public IReadOnlyList<TestNode> Nodes => Network.Nodes;

    /// <summary>Builds <paramref name="nodes"/> namespaces on one LAN, runs <paramref name="body"/>, cleans up and checks.</summary>
    public static async Task RunAsync(int nodes, Func<EndToEndNetwork, Task> body)
    {
        var network = await TestNetwork.CreateAsync(nodes);
        var scope = new EndToEndNetwork(network);
        try
        {
            await body(scope);
        }
        finally
        {
            try
            {
                await scope.DisposeNodesAsync();
            }
            finally
            {
                await network.DisposeAsync();
            }
        }

        Assert.Empty(await network.FindLeftoversAsync());
        Assert.Empty(scope._nodes.SelectMany(n => n.ProcessIds).Where(Leftovers.IsRunning).Select(pid => $"process {pid}"));
    }

    /// <summary>
    /// A fake kernel (and the daemon's files) in <paramref name="node"/>; disposed with the network. Several may share
    /// a node (with distinct <paramref name="instance"/>, <paramref name="statsPort"/> and <paramref name="label"/>).
    /// </summary>
    public async Task<JooldNode> AddNodeAsync(
        TestNode node,
        string? netsocketJson,
        int statsPort = 6401,
        IEnumerable<string>? kernelArguments = null,
        string instance = "default",
        string? label = null)
    {
        var added = await JooldNode.CreateAsync(Network, node, netsocketJson, statsPort, instance, kernelArguments, label);
        _nodes.Add(added);
        return added;
    }

    private async Task DisposeNodesAsync()
    {
        var errors = new List<Exception>();
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            try
            {
                await node.DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                errors.Add(e);
            }
        }

        if (errors.Count > 0)
        {
            throw new AggregateException("Could not stop every node.", errors);
        }
    }
}
