namespace Joold.Stats;

/// <summary>The daemon's counters. Updated lock-free from the relay's hot path; 64-bit, so they never wrap.</summary>
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

    public void KernelSent(int bytes)
    {
        Interlocked.Increment(ref _kernelSentPackets);
        Interlocked.Add(ref _kernelSentBytes, bytes);
    }

    public void NetReceived(int bytes)
    {
        Interlocked.Increment(ref _netReceivedPackets);
        Interlocked.Add(ref _netReceivedBytes, bytes);
    }

    public void NetSent(int bytes)
    {
        Interlocked.Increment(ref _netSentPackets);
        Interlocked.Add(ref _netSentBytes, bytes);
    }

    public void LocalDelivered(int bytes, int sessions)
    {
        Interlocked.Increment(ref _localDeliveredPackets);
        Interlocked.Add(ref _localDeliveredBytes, bytes);
        Interlocked.Add(ref _localDeliveredSessions, sessions);
    }

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

    public void Drop() => Interlocked.Increment(ref _dropped);

    public void SinkFailure() => Interlocked.Increment(ref _sinkFailures);

    /// <summary>For components that lose data below the relay, such as a netlink socket overrun (ENOBUFS).</summary>
    public void Overrun() => Interlocked.Increment(ref _overruns);

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
