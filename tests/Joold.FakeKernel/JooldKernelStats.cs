namespace Joold.FakeKernel;

/// <summary>The kernel's JSTAT_JOOLD_* counters of one instance (spec 4.8), as the fake keeps them.</summary>
public sealed record JooldKernelStats
{
    /// <summary>Flush decisions that found the queue empty.</summary>
    public long Empty { get; init; }

    public long Timeout { get; init; }

    public long MissingAck { get; init; }

    public long AdOngoing { get; init; }

    public long PktFull { get; init; }

    public long Queuing { get; init; }

    /// <summary>Every joold_add call, dropped sessions included.</summary>
    public long SssQueued { get; init; }

    public long SssSent { get; init; }

    public long SssRcvd { get; init; }

    public long SssEnospc { get; init; }

    public long PktSent { get; init; }

    public long PktRcvd { get; init; }

    public long Ads { get; init; }

    public long Acks { get; init; }

    /// <summary>Not a Jool counter: JOOLD_ADD entries that collided with a different DB session (counted as success).</summary>
    public long Collisions { get; init; }
}
