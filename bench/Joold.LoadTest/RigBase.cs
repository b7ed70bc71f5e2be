using System.Diagnostics;
using System.Globalization;
using System.Net;
using Joold.FakeKernel;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// What every rig has: a test network with a folder per node for the daemons' files, on each side a fake kernel
/// ("load-a", "load-b") and a daemon with its StatsUdp port, and the order in which it all ends. Side A lives in
/// the network's first node, side B in its last (the same node and folder when the network has a single node). A
/// rig writes its daemons' files and starts them.
/// </summary>
internal abstract class RigBase : ILoadRig
{
    /// <summary>Daemon A's StatsUdp port on 127.0.0.1.</summary>
    protected const int StatsPortA = 6401;

    /// <summary>Daemon B's; another than A's, so both may share a namespace.</summary>
    protected const int StatsPortB = 6402;

    private readonly TempDirectory[] _directories;

    /// <param name="network">The rig's network, disposed with it.</param>
    /// <param name="directoryPrefix">The name of each node's folder starts so (a folder in /tmp).</param>
    protected RigBase(TestNetwork network, string directoryPrefix)
    {
        Network = network;
        _directories = [.. network.Nodes.Select(_ => new TempDirectory(directoryPrefix))];
    }

    public abstract string Description { get; }

    public FakeKernelProcess KernelA { get; private set; } = null!;

    public FakeKernelProcess KernelB { get; private set; } = null!;

    public int DaemonAProcessId => DaemonA!.Id;

    public int DaemonBProcessId => DaemonB!.Id;

    /// <summary>Set by <see cref="StartTimedAsync"/>; null for a rig that starts its daemons otherwise.</summary>
    public TimeSpan? ReadyA { get; private set; }

    /// <inheritdoc cref="ReadyA"/>
    public TimeSpan? ReadyB { get; private set; }

    protected TestNetwork Network { get; }

    protected TestNode NodeA => Network.Nodes[0];

    protected TestNode NodeB => Network.Nodes[^1];

    /// <summary>Node A's folder, daemon A's working directory.</summary>
    protected TempDirectory DirectoryA => _directories[0];

    /// <summary>Node B's folder, daemon B's working directory.</summary>
    protected TempDirectory DirectoryB => _directories[^1];

    protected NamespaceProcess? DaemonA { get; set; }

    protected NamespaceProcess? DaemonB { get; set; }

    public Task<StatsSnapshot> QueryStatsAAsync() => StatsClient.QueryOnceAsync(new IPEndPoint(IPAddress.Loopback, StatsPortA), NodeA.NamespacePath);

    public Task<StatsSnapshot> QueryStatsBAsync() => StatsClient.QueryOnceAsync(new IPEndPoint(IPAddress.Loopback, StatsPortB), NodeB.NamespacePath);

    public bool DaemonsRunning => DaemonA is not { HasExited: true } && DaemonB is not { HasExited: true };

    public string DaemonLogs() => $"--- daemon A ---\n{DaemonA?.StandardError}\n--- daemon B ---\n{DaemonB?.StandardError}";

    /// <summary>
    /// Ends the rig: the kernels first (they live in the namespaces), then the network, which kills the daemons and
    /// deletes the namespaces, then the daemons' folders. A kernel that never started is null.
    /// </summary>
    public virtual async ValueTask DisposeAsync()
    {
        try
        {
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
                await Network.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                foreach (var directory in _directories)
                {
                    directory.Dispose();
                }
            }
        }
    }

    /// <summary>Brings <paramref name="rig"/> up; a rig that fails to come up is disposed before the error goes on.</summary>
    protected static async Task<TRig> StartOrDisposeAsync<TRig>(TRig rig, LoadOptions options)
        where TRig : RigBase
    {
        try
        {
            await rig.BringUpAsync(options).ConfigureAwait(false);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the kernels, writes the daemons' files, starts the daemons and waits until they are ready.</summary>
    protected abstract Task BringUpAsync(LoadOptions options);

    /// <summary>
    /// Writes a.json and b.json into the sides' folders for <c>joold run</c>: JoolNetlink pointed at the side's fake
    /// kernel, the side's transport (one JSON member, <c>"Name": { ... }</c>), StatsUdp on the side's port.
    /// </summary>
    protected void WriteRunConfigs(string transportA, string transportB)
    {
        DirectoryA.File("a.json", RunConfig("load-a", KernelA.PortId, transportA, StatsPortA));
        DirectoryB.File("b.json", RunConfig("load-b", KernelB.PortId, transportB, StatsPortB));
    }

    /// <summary>Starts <c>joold run a.json</c> (see <see cref="WriteRunConfigs"/>) in node A.</summary>
    protected NamespaceProcess StartRunA(LoadOptions options) => RigSupport.StartDaemon(Network, NodeA, DirectoryA.Path, options, ["run", "a.json"]);

    /// <summary>Starts <c>joold run b.json</c> in node B.</summary>
    protected NamespaceProcess StartRunB(LoadOptions options) => RigSupport.StartDaemon(Network, NodeB, DirectoryB.Path, options, ["run", "b.json"]);

    /// <summary>Starts kernel A in node A, then kernel B in node B (see <see cref="RigSupport.StartSecondKernelAsync"/>).</summary>
    protected async Task StartKernelsAsync()
    {
        KernelA = await FakeKernelProcess.StartAsync(instance: "load-a", networkNamespace: NodeA.Name).ConfigureAwait(false);
        KernelB = await RigSupport.StartSecondKernelAsync(KernelA, "load-b", NodeB, sharesNamespace: Network.Nodes.Count == 1).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts daemon A, then daemon B, and waits for both to print <paramref name="readyLine"/>, timing each from
    /// just before its start (<see cref="ReadyA"/>, <see cref="ReadyB"/>).
    /// </summary>
    protected async Task StartTimedAsync(Func<NamespaceProcess> startA, Func<NamespaceProcess> startB, string readyLine)
    {
        long startedA = Stopwatch.GetTimestamp();
        DaemonA = startA();
        long startedB = Stopwatch.GetTimestamp();
        DaemonB = startB();
        var readyA = ReadyClock.WaitAsync(DaemonA, startedA, readyLine, RigSupport.StartTimeout);
        var readyB = ReadyClock.WaitAsync(DaemonB, startedB, readyLine, RigSupport.StartTimeout);
        ReadyA = await readyA.ConfigureAwait(false);
        ReadyB = await readyB.ConfigureAwait(false);
    }

    private static string RunConfig(string instance, uint kernelPort, string transport, int statsPort) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "JoolNetlink": { "instance": "{{instance}}", "netlink peer": {{kernelPort}} },
          {{transport}},
          "StatsUdp": { "address": "127.0.0.1", "port": "{{statsPort}}" }
        }
        """);
}
