using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.LoadTest;

/// <summary>
/// Both daemons in this namespace as <c>joold run cfg.json</c> with JoolNetlink + Nats + StatsUdp, each pointed at
/// its own fake kernel, syncing through one local <c>nats-server -js</c> (a temporary store, removed at the end).
/// Daemon A publishes kernel A's batches to the stream; daemon B consumes them and adds them to kernel B. The
/// server's own CPU time is not in the daemons' figures: it is printed when the rig stops.
/// </summary>
internal sealed class NatsRig : ILoadRig
{
    private readonly string _directory;
    private readonly int _statsPortA;
    private readonly int _statsPortB;
    private DaemonProcess? _server;
    private DaemonProcess? _daemonA;
    private DaemonProcess? _daemonB;
    private long _batches;

    private NatsRig(string directory, FakeKernelProcess kernelA, FakeKernelProcess kernelB, int statsPortA, int statsPortB)
    {
        _directory = directory;
        KernelA = kernelA;
        KernelB = kernelB;
        _statsPortA = statsPortA;
        _statsPortB = statsPortB;
    }

    public string Description => "NATS JetStream, one nats-server on 127.0.0.1, file storage (joold run cfg.json)";

    public FakeKernelProcess KernelA { get; }

    public FakeKernelProcess KernelB { get; }

    public int DaemonAProcessId => _daemonA!.Id;

    public int DaemonBProcessId => _daemonB!.Id;

    public static async Task<NatsRig> StartAsync(LoadOptions options)
    {
        string directory = Directory.CreateTempSubdirectory("joold-load-nats-").FullName;
        FakeKernelProcess? kernelA = null;
        FakeKernelProcess? kernelB = null;
        NatsRig? rig = null;
        try
        {
            kernelA = await FakeKernelProcess.StartAsync(instance: "load-a").ConfigureAwait(false);
            kernelB = await RigSupport.StartSecondKernelAsync(kernelA, "load-b", networkNamespace: null).ConfigureAwait(false);
            int[] ports = LoopbackPorts.Reserve(2);
            rig = new NatsRig(directory, kernelA, kernelB, ports[0], ports[1]) { _batches = options.Warmup + options.Batches };
            int serverPort = FreeTcpPort();
            rig._server = DaemonProcess.Start("nats-server", ["-a", "127.0.0.1", "-p", serverPort.ToString(CultureInfo.InvariantCulture), "-js", "-sd", Path.Combine(directory, "store")], directory);
            await WaitForAsync("nats-server", rig._server, "Server is ready").ConfigureAwait(false);
            string servers = $"[\"nats://127.0.0.1:{serverPort}\"]";
            string configA = Write(directory, "a.json", Config("load-a", kernelA.PortId, servers, "a", ports[0]));
            string configB = Write(directory, "b.json", Config("load-b", kernelB.PortId, servers, "b", ports[1]));
            RigSupport.SetDaemonEnvironment(options);

            // A first: it creates the stream, so B does not race it.
            rig._daemonA = DaemonProcess.Start(RigSupport.DotnetPath, [RigSupport.JooldDll, "run", configA], directory);
            var a = rig._daemonA;
            await RigSupport.WaitForStartAsync("A", () => a.StandardError, () => a.HasExited).ConfigureAwait(false);
            rig._daemonB = DaemonProcess.Start(RigSupport.DotnetPath, [RigSupport.JooldDll, "run", configB], directory);
            var b = rig._daemonB;
            await RigSupport.WaitForStartAsync("B", () => b.StandardError, () => b.HasExited).ConfigureAwait(false);
            return rig;
        }
        catch
        {
            if (rig is not null)
            {
                await rig.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                foreach (var kernel in new[] { kernelA, kernelB })
                {
                    if (kernel is not null)
                    {
                        await kernel.DisposeAsync().ConfigureAwait(false);
                    }
                }

                Directory.Delete(directory, recursive: true);
            }

            throw;
        }
    }

    public Task<DaemonStats> QueryStatsAAsync() => StatsQuery.AskAsync(_statsPortA, namespacePath: null);

    public Task<DaemonStats> QueryStatsBAsync() => StatsQuery.AskAsync(_statsPortB, namespacePath: null);

    public string DaemonLogs() => $"--- daemon A ---\n{_daemonA?.StandardError}\n--- daemon B ---\n{_daemonB?.StandardError}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_server is { HasExited: false } server)
            {
                var cpu = CpuSample.Read(server.Id);
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"nats-server CPU over the whole run (warm-up included, {_batches} batches): {cpu.Microseconds / 1e6:0.00} s, {cpu.Microseconds / Math.Max(1, _batches):0} µs per batch ({cpu.UserMicroseconds / Math.Max(1, _batches):0} user + {cpu.SystemMicroseconds / Math.Max(1, _batches):0} system)"));
            }

            foreach (var item in new IAsyncDisposable?[] { _daemonA, _daemonB, KernelA, KernelB, _server })
            {
                if (item is not null)
                {
                    await item.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
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

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Write(string directory, string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
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
