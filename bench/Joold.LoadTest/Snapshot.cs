using Joold.FakeKernel;
using Joold.Stats;

namespace Joold.LoadTest;

/// <summary>Everything measured at one instant: both daemons' CPU and counters, both kernels' counters.</summary>
internal sealed record Snapshot(CpuSample CpuA, CpuSample CpuB, JooldKernelStats KernelA, JooldKernelStats KernelB, StatsSnapshot DaemonA, StatsSnapshot DaemonB, NetworkDrops DropsA, NetworkDrops DropsB)
{
    public static async Task<Snapshot> TakeAsync(ILoadRig rig, CancellationToken cancellationToken)
    {
        // CPU first: the queries below make the daemons' stats servers (and the fakes) work a little.
        var cpuA = CpuSample.Read(rig.DaemonAProcessId);
        var cpuB = CpuSample.Read(rig.DaemonBProcessId);
        var dropsA = NetworkDrops.Read(rig.DaemonAProcessId);
        var dropsB = NetworkDrops.Read(rig.DaemonBProcessId);
        var kernelA = await rig.KernelA.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var kernelB = await rig.KernelB.GetStatsAsync(cancellationToken).ConfigureAwait(false);
        var daemonA = await rig.QueryStatsAAsync().ConfigureAwait(false);
        var daemonB = await rig.QueryStatsBAsync().ConfigureAwait(false);
        return new Snapshot(cpuA, cpuB, kernelA, kernelB, daemonA, daemonB, dropsA, dropsB);
    }
}
