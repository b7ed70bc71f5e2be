using System.Globalization;
using System.Net;
using Joold.FakeKernel;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Both daemons, in a network namespace of the rig's own (fixed ports), as <c>joold run cfg.json</c> with JoolNetlink + Nats + StatsUdp, each pointed at
/// its own fake kernel, syncing through one local <c>nats-server -js</c> (a temporary store, removed at the end).
/// Daemon A publishes kernel A's batches to the stream; daemon B consumes them and adds them to kernel B. The
/// server's own CPU time is not in the daemons' figures: it is printed when the rig stops.
/// </summary>
internal sealed class NatsRig : ILoadRig
{
    private const int ServerPort = 4222;
    private const int StatsPortA = 6401;
    private const int StatsPortB = 6402;

    private readonly TestNetwork _network;
    private readonly TempDirectory _directory = new("joold-load-nats-");
    private DaemonProcess? _server;
    private NamespaceProcess? _daemonA;
    private NamespaceProcess? _daemonB;
    private long _batches;

    private NatsRig(TestNetwork network)
    {
        _network = network;
    }

    public string Description => "NATS JetStream, one nats-server on 127.0.0.1, file storage (joold run cfg.json)";

    public FakeKernelProcess KernelA { get; private set; } = null!;

    public FakeKernelProcess KernelB { get; private set; } = null!;

    public int DaemonAProcessId => _daemonA!.Id;

    public int DaemonBProcessId => _daemonB!.Id;

    private TestNode Node => _network.Nodes[0];

    public static async Task<NatsRig> StartAsync(LoadOptions options)
    {
        var rig = new NatsRig(await TestNetwork.CreateAsync(nodes: 1).ConfigureAwait(false));
        try
        {
            rig.KernelA = await FakeKernelProcess.StartAsync(instance: "load-a", networkNamespace: rig.Node.Name).ConfigureAwait(false);
            rig.KernelB = await RigSupport.StartSecondKernelAsync(rig.KernelA, "load-b", rig.Node, sharesNamespace: true).ConfigureAwait(false);
            rig._server = DaemonProcess.Start(
                "nats-server",
                ["-a", "127.0.0.1", "-p", ServerPort.ToString(CultureInfo.InvariantCulture), "-js", "-sd", Path.Combine(rig._directory.Path, "store")],
                rig._directory.Path,
                networkNamespace: rig.Node.Name);
            await WaitForAsync("nats-server", rig._server, "Server is ready").ConfigureAwait(false);
            string servers = $"[\"nats://127.0.0.1:{ServerPort}\"]";
            rig._directory.File("a.json", Config("load-a", rig.KernelA.PortId, servers, "a", StatsPortA));
            rig._directory.File("b.json", Config("load-b", rig.KernelB.PortId, servers, "b", StatsPortB));

            // A first: it creates the stream, so B does not race it.
            rig._daemonA = RigSupport.StartDaemon(rig._network, rig.Node, rig._directory.Path, options, ["run", "a.json"]);
            await RigSupport.WaitForStartAsync(rig._daemonA).ConfigureAwait(false);
            rig._daemonB = RigSupport.StartDaemon(rig._network, rig.Node, rig._directory.Path, options, ["run", "b.json"]);
            await RigSupport.WaitForStartAsync(rig._daemonB).ConfigureAwait(false);
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
            if (_server is { HasExited: false } server && KernelA is not null)
            {
                // Every batch kernel A sent, warm-up included.
                _batches = (await KernelA.GetStatsAsync().ConfigureAwait(false)).PktSent;
                var cpu = CpuSample.Read(server.Id);
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"nats-server CPU over the whole run (warm-up included, {_batches} batches): {cpu.Microseconds / 1e6:0.00} s, {cpu.Microseconds / Math.Max(1, _batches):0} µs per batch ({cpu.UserMicroseconds / Math.Max(1, _batches):0} user + {cpu.SystemMicroseconds / Math.Max(1, _batches):0} system)"));
            }

            // Kernels and the server first, then the network, which kills the daemons and deletes the namespace.
            foreach (var item in new IAsyncDisposable?[] { KernelA, KernelB, _server })
            {
                if (item is not null)
                {
                    await item.DisposeAsync().ConfigureAwait(false);
                }
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

    private static async Task WaitForAsync(string name, DaemonProcess process, string text)
    {
        try
        {
            await process.WaitForOutputAsync(text, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{name} could not start ({e.Message}); install it (Debian: apt-get install nats-server).", e);
        }
    }

    private static string Config(string instance, uint kernelPort, string servers, string node, int statsPort) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "JoolNetlink": { "instance": "{{instance}}", "netlink peer": {{kernelPort}} },
          "Nats": { "servers": {{servers}}, "node": "{{node}}", "instance": "load" },
          "StatsUdp": { "address": "127.0.0.1", "port": "{{statsPort}}" }
        }
        """);
}
