namespace Joold.Stats;

/// <summary>
/// A read-only copy of the daemon's counters. The first six are C joold's, with the meaning its code gives them
/// (spec 5.7), as 64-bit values that never wrap negative.
/// </summary>
public readonly record struct StatsSnapshot
{
    /// <summary>Batches that came from the kernel (local side) and were handed to the network sinks.</summary>
    public long KernelSentPackets { get; init; }

    /// <summary>Container payload bytes of <see cref="KernelSentPackets"/>.</summary>
    public long KernelSentBytes { get; init; }

    /// <summary>Every datagram received from peers, valid or not, zero-length included.</summary>
    public long NetReceivedPackets { get; init; }

    /// <summary>Bytes of <see cref="NetReceivedPackets"/>.</summary>
    public long NetReceivedBytes { get; init; }

    /// <summary>Batches a peer sink accepted (for a socket: the send succeeded).</summary>
    public long NetSentPackets { get; init; }

    /// <summary>Bytes of <see cref="NetSentPackets"/>.</summary>
    public long NetSentBytes { get; init; }

    /// <summary>Peer batches the local sink (the kernel) accepted.</summary>
    public long LocalDeliveredPackets { get; init; }

    /// <summary>Bytes of <see cref="LocalDeliveredPackets"/>.</summary>
    public long LocalDeliveredBytes { get; init; }

    /// <summary>Sessions inside <see cref="LocalDeliveredPackets"/>.</summary>
    public long LocalDeliveredSessions { get; init; }

    /// <summary>Malformed or empty batches from the local side, not forwarded.</summary>
    public long InvalidLocal { get; init; }

    /// <summary>Malformed or empty datagrams from peers, not delivered to the kernel.</summary>
    public long InvalidPeer { get; init; }

    /// <summary>Batch copies not queued because a sink's queue was full, or because no sink existed to take them.</summary>
    public long Dropped { get; init; }

    /// <summary>Sends a sink reported as failed, or that threw.</summary>
    public long SinkFailures { get; init; }

    /// <summary>Component-reported losses outside the relay (for example netlink ENOBUFS overruns).</summary>
    public long Overruns { get; init; }
}
