using Joold.FakeKernel;
using Joold.Stats;

namespace Joold.LoadTest;

/// <summary>Two fake kernels and two running daemons: A fed by kernel A, B delivering to kernel B.</summary>
internal interface ILoadRig : IAsyncDisposable
{
    /// <summary>"unicast 127.0.0.1" or similar, for the report.</summary>
    string Description { get; }

    FakeKernelProcess KernelA { get; }

    FakeKernelProcess KernelB { get; }

    int DaemonAProcessId { get; }

    int DaemonBProcessId { get; }

    Task<StatsSnapshot> QueryStatsAAsync();

    Task<StatsSnapshot> QueryStatsBAsync();

    /// <summary>Time from daemon A's start to its ready line (<see cref="ReadyClock"/>); null when not measured.</summary>
    TimeSpan? ReadyA => null;

    /// <summary>The same for daemon B.</summary>
    TimeSpan? ReadyB => null;

    /// <summary>The daemons' logs so far (warnings such as overruns or drops), for the report.</summary>
    string DaemonLogs();

    /// <summary>False once either daemon has exited: the drive stops at once instead of waiting for batches.</summary>
    bool DaemonsRunning => true;
}
