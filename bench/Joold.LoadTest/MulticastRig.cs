using System.Diagnostics;
using System.Globalization;
using System.Net;
using Joold.FakeKernel;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Two network namespaces on one bridged LAN (<see cref="TestNetwork"/>), each with a fake kernel and a daemon
/// started as the original is (<c>joold netsocket.json modsocket.json PORT</c>), syncing over IPv4 or IPv6
/// multicast. The daemon is Joold or, with <c>--reference</c>, C joold (<see cref="DaemonFlavor"/>): the same files
/// suit both (C joold reads only "instance" from modsocket.json; the shim gives it the fake's port id).
/// </summary>
internal sealed class MulticastRig : ILoadRig
{
    private const string Group4 = "233.252.0.64";
    private const string Group6 = "ff08::db8:64:64";
    private const int StatsPort = 6401;

    private readonly TestNetwork _network;
    private readonly bool _ipv6;
    private readonly DaemonFlavor _flavor;
    private readonly TempDirectory _directoryA = new("joold-load-");
    private readonly TempDirectory _directoryB = new("joold-load-");
    private NamespaceProcess? _daemonA;
    private NamespaceProcess? _daemonB;

    private MulticastRig(TestNetwork network, bool ipv6, DaemonFlavor flavor)
    {
        _network = network;
        _ipv6 = ipv6;
        _flavor = flavor;
    }

    public string Description => $"{_flavor.Name}, IPv{(_ipv6 ? 6 : 4)} multicast {(_ipv6 ? Group6 : Group4)} across two namespaces (joold netsocket.json modsocket.json PORT)";

    public FakeKernelProcess KernelA { get; private set; } = null!;

    public FakeKernelProcess KernelB { get; private set; } = null!;

    public int DaemonAProcessId => _daemonA!.Id;

    public int DaemonBProcessId => _daemonB!.Id;

    public TimeSpan? ReadyA { get; private set; }

    public TimeSpan? ReadyB { get; private set; }

    public static async Task<MulticastRig> StartAsync(LoadOptions options, bool ipv6, DaemonFlavor flavor)
    {
        var rig = new MulticastRig(await TestNetwork.CreateAsync(nodes: 2).ConfigureAwait(false), ipv6, flavor);
        try
        {
            var (a, b) = (rig._network.Nodes[0], rig._network.Nodes[1]);
            rig.KernelA = await FakeKernelProcess.StartAsync(instance: "load-a", networkNamespace: a.Name).ConfigureAwait(false);
            rig.KernelB = await RigSupport.StartSecondKernelAsync(rig.KernelA, "load-b", b, sharesNamespace: false).ConfigureAwait(false);
            long startedA = Stopwatch.GetTimestamp();
            rig._daemonA = rig.StartDaemon(a, rig._directoryA, "load-a", rig.KernelA.PortId, options);
            long startedB = Stopwatch.GetTimestamp();
            rig._daemonB = rig.StartDaemon(b, rig._directoryB, "load-b", rig.KernelB.PortId, options);
            var readyA = ReadyClock.WaitAsync(rig._daemonA, startedA, flavor.ReadyLine, RigSupport.StartTimeout);
            var readyB = ReadyClock.WaitAsync(rig._daemonB, startedB, flavor.ReadyLine, RigSupport.StartTimeout);
            rig.ReadyA = await readyA.ConfigureAwait(false);
            rig.ReadyB = await readyB.ConfigureAwait(false);
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

    public ValueTask DisposeAsync() => RigSupport.DisposeAsync(KernelA, KernelB, _network, _directoryA, _directoryB);

    private NamespaceProcess StartDaemon(TestNode node, TempDirectory directory, string instance, uint kernelPort, LoadOptions options)
    {
        // IPv4 names the interface by its address, IPv6 by its name (as C joold reads them).
        string group = _ipv6 ? Group6 : Group4;
        string local = _ipv6 ? node.Interface : node.Ipv4.ToString();
        directory.File("netsocket.json", $$"""{ "multicast address": "{{group}}", "multicast port": "6464", "in interface": "{{local}}", "out interface": "{{local}}", "ttl": 1 }""");
        directory.File("modsocket.json", string.Create(CultureInfo.InvariantCulture, $$"""{ "instance": "{{instance}}", "netlink peer": {{kernelPort}} }"""));
        return _flavor.Start(_network, node, directory.Path, options, kernelPort, ["netsocket.json", "modsocket.json", StatsPort.ToString(CultureInfo.InvariantCulture)]);
    }
}
