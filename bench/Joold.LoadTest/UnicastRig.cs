using System.Diagnostics;
using System.Globalization;
using System.Net;
using Joold.FakeKernel;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Both daemons as <c>joold run joold.json</c> with JoolNetlink + Unicast (127.0.0.1) + StatsUdp, each pointed at its
/// own fake kernel process, all in one network namespace of the rig's own: its loopback is as fast as the host's,
/// and its ports are the rig's alone, so fixed ones cannot be taken by another process before a daemon binds them.
/// </summary>
internal sealed class UnicastRig : ILoadRig
{
    private const int ListenPortA = 7001;
    private const int ListenPortB = 7002;
    private const int StatsPortA = 6401;
    private const int StatsPortB = 6402;

    private readonly TestNetwork _network;
    private readonly TempDirectory _directory = new("joold-load-");
    private NamespaceProcess? _daemonA;
    private NamespaceProcess? _daemonB;

    private UnicastRig(TestNetwork network)
    {
        _network = network;
    }

    public string Description => "unicast UDP on 127.0.0.1 in a namespace of its own (joold run joold.json)";

    public FakeKernelProcess KernelA { get; private set; } = null!;

    public FakeKernelProcess KernelB { get; private set; } = null!;

    public int DaemonAProcessId => _daemonA!.Id;

    public int DaemonBProcessId => _daemonB!.Id;

    public TimeSpan? ReadyA { get; private set; }

    public TimeSpan? ReadyB { get; private set; }

    private TestNode Node => _network.Nodes[0];

    public static async Task<UnicastRig> StartAsync(LoadOptions options)
    {
        var rig = new UnicastRig(await TestNetwork.CreateAsync(nodes: 1).ConfigureAwait(false));
        try
        {
            rig.KernelA = await FakeKernelProcess.StartAsync(instance: "load-a", networkNamespace: rig.Node.Name).ConfigureAwait(false);
            rig.KernelB = await RigSupport.StartSecondKernelAsync(rig.KernelA, "load-b", rig.Node, sharesNamespace: true).ConfigureAwait(false);
            rig._directory.File("a.json", Config("load-a", rig.KernelA.PortId, ListenPortA, ListenPortB, StatsPortA, options.UnicastReceiveBuffer));
            rig._directory.File("b.json", Config("load-b", rig.KernelB.PortId, ListenPortB, ListenPortA, StatsPortB, options.UnicastReceiveBuffer));
            long startedA = Stopwatch.GetTimestamp();
            rig._daemonA = RigSupport.StartDaemon(rig._network, rig.Node, rig._directory.Path, options, ["run", "a.json"]);
            long startedB = Stopwatch.GetTimestamp();
            rig._daemonB = RigSupport.StartDaemon(rig._network, rig.Node, rig._directory.Path, options, ["run", "b.json"]);
            var readyA = ReadyClock.WaitAsync(rig._daemonA, startedA, JooldLog.RelayStarted, RigSupport.StartTimeout);
            var readyB = ReadyClock.WaitAsync(rig._daemonB, startedB, JooldLog.RelayStarted, RigSupport.StartTimeout);
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

    public Task<StatsSnapshot> QueryStatsAAsync() => StatsClient.QueryOnceAsync(new IPEndPoint(IPAddress.Loopback, StatsPortA), Node.NamespacePath);

    public Task<StatsSnapshot> QueryStatsBAsync() => StatsClient.QueryOnceAsync(new IPEndPoint(IPAddress.Loopback, StatsPortB), Node.NamespacePath);

    public string DaemonLogs() => RigSupport.Logs(_daemonA, _daemonB);

    public ValueTask DisposeAsync() => RigSupport.DisposeAsync(KernelA, KernelB, _network, _directory);

    private static string Config(string instance, uint kernelPort, int listen, int peer, int statsPort, int? receiveBuffer) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "JoolNetlink": { "instance": "{{instance}}", "netlink peer": {{kernelPort}} },
          "Unicast": { "listen": "127.0.0.1:{{listen}}", "peers": ["127.0.0.1:{{peer}}"]{{(receiveBuffer is int size ? $", \"receive buffer\": {size}" : "")}} },
          "StatsUdp": { "address": "127.0.0.1", "port": "{{statsPort}}" }
        }
        """);
}
