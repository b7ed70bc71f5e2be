using System.Globalization;
using System.Net;
using Joold.FakeKernel;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Both daemons as <c>joold run joold.json</c> with JoolNetlink + Tls (127.0.0.1, TLS 1.3, mutual authentication
/// with certificates made at run time) + StatsUdp, in a network namespace of the rig's own, as the Unicast rig:
/// daemon A dials daemon B, and every batch is framed, encrypted, acknowledged and released.
/// </summary>
internal sealed class TlsRig : ILoadRig
{
    private const int ListenPortA = 7443;
    private const int ListenPortB = 7444;
    private const int StatsPortA = 6401;
    private const int StatsPortB = 6402;

    private readonly TestNetwork _network;
    private readonly TempDirectory _directory = new("joold-load-tls-");
    private NamespaceProcess? _daemonA;
    private NamespaceProcess? _daemonB;

    private TlsRig(TestNetwork network)
    {
        _network = network;
    }

    public string Description => "TLS 1.3 over TCP on 127.0.0.1 in a namespace of its own (joold run joold.json)";

    public FakeKernelProcess KernelA { get; private set; } = null!;

    public FakeKernelProcess KernelB { get; private set; } = null!;

    public int DaemonAProcessId => _daemonA!.Id;

    public int DaemonBProcessId => _daemonB!.Id;

    private TestNode Node => _network.Nodes[0];

    public static async Task<TlsRig> StartAsync(LoadOptions options)
    {
        var rig = new TlsRig(await TestNetwork.CreateAsync(nodes: 1).ConfigureAwait(false));
        try
        {
            RigCertificates.Write(rig._directory.Path, "a", "b");
            rig.KernelA = await FakeKernelProcess.StartAsync(instance: "load-a", networkNamespace: rig.Node.Name).ConfigureAwait(false);
            rig.KernelB = await RigSupport.StartSecondKernelAsync(rig.KernelA, "load-b", rig.Node, sharesNamespace: true).ConfigureAwait(false);
            rig._directory.File("a.json", Config("load-a", "a", rig.KernelA.PortId, ListenPortA, $"\"127.0.0.1:{ListenPortB}\"", StatsPortA));
            rig._directory.File("b.json", Config("load-b", "b", rig.KernelB.PortId, ListenPortB, "", StatsPortB));
            rig._daemonA = RigSupport.StartDaemon(rig._network, rig.Node, rig._directory.Path, options, ["run", "a.json"]);
            rig._daemonB = RigSupport.StartDaemon(rig._network, rig.Node, rig._directory.Path, options, ["run", "b.json"]);
            await RigSupport.WaitForStartAsync(rig._daemonA, rig._daemonB).ConfigureAwait(false);
            await rig._daemonA.WaitForOutputAsync($"Tls peer 127.0.0.1:{ListenPortB} connected", RigSupport.StartTimeout).ConfigureAwait(false);
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Kernels first (they live in the namespace), then the network, which kills the daemons and deletes it.
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
                _directory.Dispose();
            }
        }
    }

    private static string Config(string instance, string node, uint kernelPort, int listen, string peers, int statsPort) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "JoolNetlink": { "instance": "{{instance}}", "netlink peer": {{kernelPort}} },
          "Tls": { "listen": "127.0.0.1:{{listen}}", "peers": [{{peers}}], "certificate": "{{node}}.pem", "key": "{{node}}.key", "ca": "ca.pem" },
          "StatsUdp": { "address": "127.0.0.1", "port": "{{statsPort}}" }
        }
        """);
}
