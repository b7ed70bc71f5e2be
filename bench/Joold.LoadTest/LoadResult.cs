using Joold.Stats;

namespace Joold.LoadTest;

/// <summary>What one measured phase did, as differences between the snapshots before and after it.</summary>
internal sealed record LoadResult(LoadOptions Options, string Rig, Snapshot Before, Snapshot After, TimeSpan Elapsed, int FailedSends)
{
    /// <summary>Daemon A's memory at the end of the run.</summary>
    public MemorySample MemoryA { get; init; }

    public MemorySample MemoryB { get; init; }

    /// <summary>Kernel A to kernel B, over the measured batches.</summary>
    public Latency Latency { get; init; } = Latency.None;

    /// <summary>Start to ready of each daemon (null when the rig does not measure it).</summary>
    public TimeSpan? ReadyA { get; init; }

    public TimeSpan? ReadyB { get; init; }

    /// <summary>What the warm-up did (<see cref="LoadTest.Warmup"/>).</summary>
    public string Warmup { get; init; } = "";

    /// <summary>Kernel A's send rate over the measured batches, from its stamps; the elapsed time's when unknown.</summary>
    public double SentPerSecond => double.IsNaN(Latency.SentPerSecond) ? BatchesPerSecond : Latency.SentPerSecond;

    public long BatchesSent => After.KernelA.PktSent - Before.KernelA.PktSent;

    public long SessionsSent => After.KernelA.SssSent - Before.KernelA.SssSent;

    public long BatchesAdded => SessionsAdded / Options.SessionsPerBatch;

    public long SessionsAdded => After.KernelB.SssRcvd - Before.KernelB.SssRcvd;

    public long BatchesLost => BatchesSent - BatchesAdded;

    public long SessionsLost => SessionsSent - SessionsAdded;

    /// <summary>Lost or short: fewer batches reached kernel B than were asked for, or fewer were sent.</summary>
    public bool LostAnything => BatchesLost != 0 || SessionsLost != 0 || BatchesSent != Options.Batches || FailedSends != 0;

    public CpuSample CpuA => After.CpuA - Before.CpuA;

    public CpuSample CpuB => After.CpuB - Before.CpuB;

    public StatsSnapshot DaemonA => Difference(After.DaemonA, Before.DaemonA);

    public StatsSnapshot DaemonB => Difference(After.DaemonB, Before.DaemonB);

    public NetworkDrops DropsA => After.DropsA - Before.DropsA;

    public NetworkDrops DropsB => After.DropsB - Before.DropsB;

    public double BatchesPerSecond => Elapsed > TimeSpan.Zero ? BatchesAdded / Elapsed.TotalSeconds : double.NaN;

    /// <summary>The six counters of a stats reply, as what happened between two replies.</summary>
    private static StatsSnapshot Difference(StatsSnapshot after, StatsSnapshot before) => new()
    {
        KernelSentPackets = after.KernelSentPackets - before.KernelSentPackets,
        KernelSentBytes = after.KernelSentBytes - before.KernelSentBytes,
        NetReceivedPackets = after.NetReceivedPackets - before.NetReceivedPackets,
        NetReceivedBytes = after.NetReceivedBytes - before.NetReceivedBytes,
        NetSentPackets = after.NetSentPackets - before.NetSentPackets,
        NetSentBytes = after.NetSentBytes - before.NetSentBytes,
    };
}
