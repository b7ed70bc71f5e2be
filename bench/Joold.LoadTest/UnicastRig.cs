using System.Globalization;
using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.LoadTest;

/// <summary>
/// Both daemons in this namespace as <c>joold run cfg.json</c> with JoolNetlink + Unicast (127.0.0.1) + StatsUdp,
/// each pointed at its own fake kernel process.
/// </summary>
internal sealed class UnicastRig : ILoadRig
{
    private readonly string _directory;
    private readonly int _statsPortA;
    private readonly int _statsPortB;
    private DaemonProcess? _daemonA;
    private DaemonProcess? _daemonB;

    private UnicastRig(string directory, FakeKernelProcess kernelA, FakeKernelProcess kernelB, int statsPortA, int statsPortB)
    {
        _directory = directory;
        KernelA = kernelA;
        KernelB = kernelB;
        _statsPortA = statsPortA;
        _statsPortB = statsPortB;
    }

    public string Description => "unicast UDP on 127.0.0.1 (joold run cfg.json)";

    public FakeKernelProcess KernelA { get; }

    public FakeKernelProcess KernelB { get; }

    public int DaemonAProcessId => _daemonA!.Id;

    public int DaemonBProcessId => _daemonB!.Id;

    public static async Task<UnicastRig> StartAsync(LoadOptions options)
    {
        string directory = Directory.CreateTempSubdirectory("joold-load-").FullName;
        FakeKernelProcess? kernelA = null;
        FakeKernelProcess? kernelB = null;
        UnicastRig? rig = null;
        try
        {
            kernelA = await FakeKernelProcess.StartAsync(instance: "load-a").ConfigureAwait(false);
            kernelB = await RigSupport.StartSecondKernelAsync(kernelA, "load-b", networkNamespace: null).ConfigureAwait(false);
            int[] ports = LoopbackPorts.Reserve(4);
            rig = new UnicastRig(directory, kernelA, kernelB, ports[2], ports[3]);
            string configA = Write(directory, "a.json", Config("load-a", kernelA.PortId, ports[0], ports[1], ports[2], options.UnicastReceiveBuffer));
            string configB = Write(directory, "b.json", Config("load-b", kernelB.PortId, ports[1], ports[0], ports[3], options.UnicastReceiveBuffer));
            RigSupport.SetDaemonEnvironment(options);
            rig._daemonA = DaemonProcess.Start(RigSupport.DotnetPath, [RigSupport.JooldDll, "run", configA], directory);
            rig._daemonB = DaemonProcess.Start(RigSupport.DotnetPath, [RigSupport.JooldDll, "run", configB], directory);
            var a = rig._daemonA;
            var b = rig._daemonB;
            await Task.WhenAll(
                RigSupport.WaitForStartAsync("A", () => a.StandardError, () => a.HasExited),
                RigSupport.WaitForStartAsync("B", () => b.StandardError, () => b.HasExited)).ConfigureAwait(false);
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
                await DisposeAllAsync(kernelA, kernelB).ConfigureAwait(false);
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
            await DisposeAllAsync(_daemonA, _daemonB, KernelA, KernelB).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task DisposeAllAsync(params IAsyncDisposable?[] items)
    {
        foreach (var item in items)
        {
            if (item is not null)
            {
                await item.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static string Write(string directory, string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Config(string instance, uint kernelPort, int listen, int peer, int statsPort, int? receiveBuffer) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "JoolNetlink": { "instance": "{{instance}}", "netlink peer": {{kernelPort}} },
          "Unicast": { "listen": "127.0.0.1:{{listen}}", "peers": ["127.0.0.1:{{peer}}"]{{(receiveBuffer is int size ? $", \"receive buffer\": {size}" : "")}} },
          "StatsUdp": { "address": "127.0.0.1", "port": "{{statsPort}}" }
        }
        """);
}
