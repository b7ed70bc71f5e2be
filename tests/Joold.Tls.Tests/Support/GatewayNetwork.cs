using Joold.Testing.Namespaces;

namespace Joold.Tls.Tests.Support;

/// <summary>
/// A <see cref="TestNetwork"/> of gateways sharing one test CA. <see cref="RunAsync"/> always tears everything
/// down (daemons and kernels first, since a process inside keeps a namespace alive, then the namespaces and the
/// certificate folder) and, after a test that passed, asserts that no namespace or process is left.
/// </summary>
internal sealed class GatewayNetwork
{
    private GatewayNetwork(TestNetwork network, TestPki pki)
    {
        Network = network;
        Pki = pki;
    }

    public TestNetwork Network { get; }

    public TestPki Pki { get; }

    public List<Gateway> Gateways { get; } = [];

    /// <summary>
    /// Builds <paramref name="nodes"/> gateways; each lists every other as a peer (by IPv6 or IPv4 address), so
    /// every pair dials each other and keeps one connection. The daemons are not started.
    /// </summary>
    public static async Task RunAsync(int nodes, bool ipv6, Func<GatewayNetwork, Task> body)
    {
        using var pki = new TestPki();
        var network = await TestNetwork.CreateAsync(nodes);
        var scope = new GatewayNetwork(network, pki);
        try
        {
            foreach (var node in network.Nodes)
            {
                scope.Gateways.Add(await Gateway.CreateAsync(network, node, pki));
            }

            foreach (var gateway in scope.Gateways)
            {
                gateway.Peers = scope.Gateways.Where(g => g != gateway).Select(g => g.Entry(ipv6)).ToList();
            }

            await body(scope);
        }
        catch
        {
            foreach (var gateway in scope.Gateways)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"--- {gateway} log:\n{gateway.Log}");
            }

            throw;
        }
        finally
        {
            try
            {
                foreach (var gateway in Enumerable.Reverse(scope.Gateways))
                {
                    await gateway.DisposeAsync();
                }
            }
            finally
            {
                await network.DisposeAsync();
            }
        }

        Assert.Empty(await network.FindLeftoversAsync());
        Assert.DoesNotContain(scope.Gateways.SelectMany(g => g.ProcessIds), IsRunning);
    }

    /// <summary>Starts every daemon and waits until each is connected to every other.</summary>
    public async Task StartAllAsync()
    {
        await Task.WhenAll(Gateways.Select(g => g.StartDaemonAsync()));
        await Task.WhenAll(Gateways.Select(g => WaitConnectedAsync(g, Gateways.Count - 1)));
    }

    /// <summary>
    /// Waits until every gateway asked its kernel to advertise for each of its peers' joins and the kernel did:
    /// sessions injected after that are not sent a second time by a join's advertisement.
    /// </summary>
    public async Task WaitResyncsDoneAsync()
    {
        foreach (var gateway in Gateways)
        {
            await Testing.Eventually.WaitAsync(
                () =>
                {
                    string[] lines = gateway.Log.Split('\n');
                    var asked = lines.Where(l => l.Contains("asking the local side to advertise", StringComparison.Ordinal)).ToList();
                    int done = lines.Count(l => l.Contains("the local side advertised its sessions", StringComparison.Ordinal));
                    return gateway.Peers.All(p => asked.Any(l => l.Contains($"{p} joined", StringComparison.Ordinal))) && done == asked.Count;
                },
                $"the join advertisements of {gateway}: {gateway.Log}");
        }
    }

    /// <summary>Waits until <paramref name="gateway"/> logged <paramref name="peers"/> connections more than it logged before.</summary>
    public static Task WaitConnectedAsync(Gateway gateway, int peers) =>
        Testing.Eventually.WaitAsync(
            () => ConnectedPeers(gateway.Log) >= peers,
            $"{peers} peers connected to {gateway}: {gateway.Log}");

    /// <summary>
    /// Peers with a connection up, from the log: every connection handed to a peer logs "connected" (event 607)
    /// once and "disconnected" (608) once when it ends, so a peer is connected while it has more of the first.
    /// </summary>
    public static int ConnectedPeers(string log)
    {
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string line in log.Split('\n'))
        {
            int start = line.IndexOf("Tls peer ", StringComparison.Ordinal);
            int connected = line.IndexOf(" connected (", StringComparison.Ordinal);
            int disconnected = line.IndexOf(" disconnected (", StringComparison.Ordinal);
            if (start < 0 || (connected < 0 && disconnected < 0))
            {
                continue;
            }

            string name = line[(start + 9)..(connected >= 0 ? connected : disconnected)];
            open[name] = open.GetValueOrDefault(name) + (connected >= 0 ? 1 : -1);
        }

        return open.Values.Count(v => v > 0);
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            return !File.ReadAllText($"/proc/{processId}/status").Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
