using System.Globalization;
using System.Net;
using Joold.FakeKernel;
using Joold.Stats;
using Joold.Testing;
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
    private readonly TempDirectory _directoryA = new("joold-load-");
    private readonly TempDirectory _directoryB = new("joold-load-");
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
            rig.KernelB = await RigSupport.StartSecondKernelAsync(rig.KernelA, "load-b", b, sharesNamespace: false).ConfigureAwait(false);
            rig._daemonA = rig.StartDaemon(a, rig._directoryA, "load-a", rig.KernelA.PortId, options);
            rig._daemonB = rig.StartDaemon(b, rig._directoryB, "load-b", rig.KernelB.PortId, options);
            await RigSupport.WaitForStartAsync(rig._daemonA, rig._daemonB).ConfigureAwait(false);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<StatsSnapshot> QueryStatsAAsync() => StatsClient.QueryOnceAsync(new IPEndPoint(IPAddress.Loopback, StatsPort), _network.Nodes[0].NamespacePath);

    public Task<StatsSnapshot> QueryStatsBAsync() => StatsClient.QueryOnceAsync(new IPEndPoint(IPAddress.Loopback, StatsPort), _network.Nodes[1].NamespacePath);

    public string DaemonLogs() => RigSupport.Logs(_daemonA, _daemonB);

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
                _directoryA.Dispose();
                _directoryB.Dispose();
            }
        }
    }

    private NamespaceProcess StartDaemon(TestNode node, TempDirectory directory, string instance, uint kernelPort, LoadOptions options)
    {
        string address = node.Ipv4.ToString();
        directory.File("netsocket.json", $$"""{ "multicast address": "{{Group}}", "multicast port": "6464", "in interface": "{{address}}", "out interface": "{{address}}", "ttl": 1 }""");
        directory.File("modsocket.json", string.Create(CultureInfo.InvariantCulture, $$"""{ "instance": "{{instance}}", "netlink peer": {{kernelPort}} }"""));
        return RigSupport.StartDaemon(_network, node, directory.Path, options, ["netsocket.json", "modsocket.json", StatsPort.ToString(CultureInfo.InvariantCulture)]);
    }
}
