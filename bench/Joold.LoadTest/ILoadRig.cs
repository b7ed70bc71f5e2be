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

    /// <summary>The daemons' logs so far (warnings such as overruns or drops), for the report.</summary>
    string DaemonLogs();
}
