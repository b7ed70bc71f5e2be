using System.Globalization;
using Joold.FakeKernel;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Two network namespaces on one bridged LAN (<see cref="TestNetwork"/>), each with a fake kernel and a daemon
/// started as the original is (<c>joold netsocket.json modsocket.json PORT</c>), syncing over IPv4 multicast.
/// </summary>
internal sealed class MulticastRig : ILoadRig
{
    private const string Group = "233.252.0.64";
    private const int StatsPort = 6401;

    private readonly TestNetwork _network;
    private readonly List<string> _directories = [];
    private NamespaceProcess? _daemonA;
    private NamespaceProcess? _daemonB;

    private MulticastRig(TestNetwork network)
    {
        _network = network;
    }

    public string Description => $"IPv4 multicast {Group} across two namespaces (joold netsocket.json modsocket.json PORT)";

    public FakeKernelProcess KernelA { get; private set; } = null!;

    public FakeKernelProcess KernelB { get; private set; } = null!;

    public int DaemonAProcessId => _daemonA!.Id;

    public int DaemonBProcessId => _daemonB!.Id;

    public static async Task<MulticastRig> StartAsync(LoadOptions options)
    {
        var rig = new MulticastRig(await TestNetwork.CreateAsync(nodes: 2).ConfigureAwait(false));
        try
        {
            var (a, b) = (rig._network.Nodes[0], rig._network.Nodes[1]);
            rig.KernelA = await FakeKernelProcess.StartAsync(instance: "load-a", networkNamespace: a.Name).ConfigureAwait(false);
            rig.KernelB = await FakeKernelProcess.StartAsync(instance: "load-b", networkNamespace: b.Name).ConfigureAwait(false);
            RigSupport.SetDaemonEnvironment(options);
            rig._daemonA = rig.StartDaemon(a, "load-a", rig.KernelA.PortId);
            rig._daemonB = rig.StartDaemon(b, "load-b", rig.KernelB.PortId);
            var (daemonA, daemonB) = (rig._daemonA, rig._daemonB);
            await Task.WhenAll(
                RigSupport.WaitForStartAsync("A", () => daemonA.StandardError, () => daemonA.HasExited),
                RigSupport.WaitForStartAsync("B", () => daemonB.StandardError, () => daemonB.HasExited)).ConfigureAwait(false);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<DaemonStats> QueryStatsAAsync() => StatsQuery.AskAsync(StatsPort, _network.Nodes[0].NamespacePath);

    public Task<DaemonStats> QueryStatsBAsync() => StatsQuery.AskAsync(StatsPort, _network.Nodes[1].NamespacePath);

    public string DaemonLogs() => $"--- daemon A ---\n{_daemonA?.StandardError}\n--- daemon B ---\n{_daemonB?.StandardError}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Kernels first (they live in the namespaces), then the network, which kills the daemons and deletes
            // the namespaces.
            if (KernelA is not null)
            {
                await KernelA.DisposeAsync().ConfigureAwait(false);
            }

            if (KernelB is not null)
            {
                await KernelB.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            try
            {
                await _network.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                _directories.ForEach(d => Directory.Delete(d, recursive: true));
            }
        }
    }

    private NamespaceProcess StartDaemon(TestNode node, string instance, uint kernelPort)
    {
        string directory = Directory.CreateTempSubdirectory("joold-load-").FullName;
        _directories.Add(directory);
        string address = node.Ipv4.ToString();
        File.WriteAllText(
            Path.Combine(directory, "netsocket.json"),
            $$"""{ "multicast address": "{{Group}}", "multicast port": "6464", "in interface": "{{address}}", "out interface": "{{address}}", "ttl": 1 }""");
        File.WriteAllText(
            Path.Combine(directory, "modsocket.json"),
            string.Create(CultureInfo.InvariantCulture, $$"""{ "instance": "{{instance}}", "netlink peer": {{kernelPort}} }"""));
        return _network.StartProcess(
            node,
            RigSupport.DotnetPath,
            [RigSupport.JooldDll, "netsocket.json", "modsocket.json", StatsPort.ToString(CultureInfo.InvariantCulture)],
            environment: new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            workingDirectory: directory);
    }
}
