using Joold.Diagnostics;

namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>
/// The rate limits of the channel's warnings, one per kind of trouble, shared by the parts that report it, all on
/// one clock. A flood of one kind cannot hide another.
/// </summary>
internal sealed class KernelLogLimits(TimeProvider time)
{
    /// <summary>Malformed kernel messages (306).</summary>
    public RateLimitedLog BadMessage { get; } = new(time: time);

    /// <summary>Kernel error replies (307).</summary>
    public RateLimitedLog ErrorReply { get; } = new(time: time);

    /// <summary>Instance names that differ only by case (308): once a minute is plenty.</summary>
    public RateLimitedLog CaseOnly { get; } = new(burst: 1, window: TimeSpan.FromMinutes(1), time: time);

    /// <summary>Kernel batches the relay rejected (309).</summary>
    public RateLimitedLog InvalidBatch { get; } = new(time: time);

    /// <summary>Receive buffer overruns (310).</summary>
    public RateLimitedLog Overrun { get; } = new(time: time);

    /// <summary>Sends that failed or did not fit (311, 315).</summary>
    public RateLimitedLog Send { get; } = new(time: time);

    /// <summary>Receive errors (312).</summary>
    public RateLimitedLog Receive { get; } = new(time: time);

    /// <summary>Datagrams and messages that are not Jool's (313).</summary>
    public RateLimitedLog Stranger { get; } = new(time: time);

    /// <summary>Sends given up because the peer's queue stayed full (318).</summary>
    public RateLimitedLog Abandoned { get; } = new(time: time);
}
