namespace Joold.Stats;

/// <summary>
/// The daemon's counters, written by the relay. Updated lock-free from the hot path; 64-bit, so they never wrap.
/// </summary>
/// <remarks>
/// Plugins never get this type: the daemon hands them <see cref="IJooldStatistics"/> (to read) and
/// <see cref="ITransportCounters"/> (for the few losses a transport sees below the relay), so no plugin can
/// forge what the relay counts. It is public because <see cref="Relay.SessionRelay"/> is: whoever composes a relay
/// outside the daemon (a plugin's tests, a benchmark, an embedding host) creates the counters it writes.
/// </remarks>
public sealed class JooldCounters : IJooldStatistics, ITransportCounters
{
    private long _kernelSentPackets;
    private long _kernelSentBytes;
    private long _netReceivedPackets;
    private long _netReceivedBytes;
    private long _netSentPackets;
    private long _netSentBytes;
    private long _localDeliveredPackets;
    private long _localDeliveredBytes;
    private long _localDeliveredSessions;
    private long _invalidLocal;
    private long _invalidPeer;
    private long _dropped;
    private long _sinkFailures;
    private long _overruns;

    /// <summary>A local batch of <paramref name="bytes"/> was queued for the peer sinks.</summary>
    public void KernelSent(int bytes)
    {
        Interlocked.Increment(ref _kernelSentPackets);
        Interlocked.Add(ref _kernelSentBytes, bytes);
    }

    /// <summary>A peer source wrote a datagram of <paramref name="bytes"/>, valid or not.</summary>
    public void NetReceived(int bytes)
    {
        Interlocked.Increment(ref _netReceivedPackets);
        Interlocked.Add(ref _netReceivedBytes, bytes);
    }

    /// <summary>A peer sink delivered a batch of <paramref name="bytes"/>.</summary>
    public void NetSent(int bytes)
    {
        Interlocked.Increment(ref _netSentPackets);
        Interlocked.Add(ref _netSentBytes, bytes);
    }

    /// <summary>A local sink delivered a batch of <paramref name="bytes"/> holding <paramref name="sessions"/> sessions.</summary>
    public void LocalDelivered(int bytes, int sessions) => LocalDelivered(bytes, sessions, batches: 1);

    /// <summary>As <see cref="LocalDelivered(int, int)"/>, for <paramref name="batches"/> batches delivered together (coalesced).</summary>
    internal void LocalDelivered(int bytes, int sessions, int batches)
    {
        Interlocked.Add(ref _localDeliveredPackets, batches);
        Interlocked.Add(ref _localDeliveredBytes, bytes);
        Interlocked.Add(ref _localDeliveredSessions, sessions);
    }

    /// <inheritdoc/>
    public void Invalid(Relay.SessionSide origin)
    {
        if (origin == Relay.SessionSide.Local)
        {
            Interlocked.Increment(ref _invalidLocal);
        }
        else
        {
            Interlocked.Increment(ref _invalidPeer);
        }
    }

    /// <summary>A batch copy was not queued: a sink's queue was full or closed, or no sink could take it.</summary>
    public void Drop() => Interlocked.Increment(ref _dropped);

    /// <summary>As <see cref="Drop()"/>, for <paramref name="batches"/> batches at once (a coalesced burst).</summary>
    internal void Drop(int batches) => Interlocked.Add(ref _dropped, batches);

    /// <summary>A sink refused a batch, threw, or was stopped before sending it.</summary>
    public void SinkFailure() => Interlocked.Increment(ref _sinkFailures);

    /// <summary>As <see cref="SinkFailure()"/>, for <paramref name="batches"/> batches at once (a coalesced burst).</summary>
    internal void SinkFailure(int batches) => Interlocked.Add(ref _sinkFailures, batches);

    /// <inheritdoc/>
    public void Overrun() => Interlocked.Increment(ref _overruns);

    /// <inheritdoc/>
    public StatsSnapshot GetSnapshot() => new()
    {
        KernelSentPackets = Interlocked.Read(ref _kernelSentPackets),
        KernelSentBytes = Interlocked.Read(ref _kernelSentBytes),
        NetReceivedPackets = Interlocked.Read(ref _netReceivedPackets),
        NetReceivedBytes = Interlocked.Read(ref _netReceivedBytes),
        NetSentPackets = Interlocked.Read(ref _netSentPackets),
        NetSentBytes = Interlocked.Read(ref _netSentBytes),
        LocalDeliveredPackets = Interlocked.Read(ref _localDeliveredPackets),
        LocalDeliveredBytes = Interlocked.Read(ref _localDeliveredBytes),
        LocalDeliveredSessions = Interlocked.Read(ref _localDeliveredSessions),
        InvalidLocal = Interlocked.Read(ref _invalidLocal),
        InvalidPeer = Interlocked.Read(ref _invalidPeer),
        Dropped = Interlocked.Read(ref _dropped),
        SinkFailures = Interlocked.Read(ref _sinkFailures),
        Overruns = Interlocked.Read(ref _overruns),
    };
}
