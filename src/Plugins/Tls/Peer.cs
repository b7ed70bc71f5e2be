using System.Security.Cryptography.X509Certificates;

namespace Joold.Plugins.Tls;

/// <summary>
/// Another node: the queue of batches for it, what has been received from it, and its one active connection.
/// A dialed peer exists from the start (its batches queue before it is reached); a node that dials in without
/// being in "peers" becomes a peer on its first connection, known by its certificate's subject.
/// </summary>
internal sealed class Peer
{
    private long _sent;
    private long _acknowledged;
    private long _resent;
    private long _dropped;
    private long _received;
    private long _duplicates;
    private long _lastSeenTicks;
    private Connection? _active;

    public Peer(string name, HostPort? dialed, int queueCapacity)
    {
        Name = name;
        Dialed = dialed;
        Queue = new BatchQueue(queueCapacity);
    }

    /// <summary>For messages.</summary>
    public string Name { get; }

    /// <summary>The configured "host:port" when this node dials it, else null.</summary>
    public HostPort? Dialed { get; }

    /// <summary>The subject of the certificate it presented, once it was reached.</summary>
    public string? Identity { get; set; }

    public BatchQueue Queue { get; }

    /// <summary>Serialises connection hand-overs: one connection at a time receives from and sends to the peer.</summary>
    public SemaphoreSlim HandOver { get; } = new(1, 1);

    /// <summary>The connection in use, if any. Set under <see cref="HandOver"/>.</summary>
    public Connection? Active => Volatile.Read(ref _active);

    /// <summary>The incarnation of the peer's process last seen; 0 before its first connection.</summary>
    public ulong RemoteIncarnation { get; set; }

    /// <summary>The highest sequence number of <see cref="RemoteIncarnation"/> handed to the relay; 0 for none.</summary>
    public ulong Delivered { get; set; }

    /// <summary>The highest sequence number ever sent to it, to tell first sends from resends.</summary>
    public ulong HighestSent { get; set; }

    /// <summary>Its queue overflowed: it missed batches, so the local side must advertise once it is back.</summary>
    public bool ResyncPending { get; set; }

    /// <summary>A duplicate "peers" entry or this node itself: never dialed again.</summary>
    public bool Ignored { get; set; }

    public void Activate(Connection connection) => Volatile.Write(ref _active, connection);

    /// <summary>Clears <see cref="Active"/> if it still is <paramref name="connection"/>; true when it was.</summary>
    public bool Deactivate(Connection connection) => Interlocked.CompareExchange(ref _active, null, connection) == connection;

    public bool Matches(X509Certificate2 certificate) =>
        Identity is not null
            ? Identity == certificate.Subject
            : Dialed is not null && certificate.MatchesHostname(Dialed.Host, allowWildcards: true, allowCommonName: false);

    public void CountSent(long first, long again)
    {
        Interlocked.Add(ref _sent, first);
        Interlocked.Add(ref _resent, again);
    }

    public void CountAcknowledged(int count) => Interlocked.Add(ref _acknowledged, count);

    public void CountDropped() => Interlocked.Increment(ref _dropped);

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountDuplicate() => Interlocked.Increment(ref _duplicates);

    public void Seen(long utcTicks) => Volatile.Write(ref _lastSeenTicks, utcTicks);

    public PeerStatus Status()
    {
        long seen = Volatile.Read(ref _lastSeenTicks);
        return new PeerStatus(
            Name,
            Active is { IsOpen: true },
            Interlocked.Read(ref _sent),
            Interlocked.Read(ref _acknowledged),
            Interlocked.Read(ref _resent),
            Interlocked.Read(ref _dropped),
            Queue.Count,
            Interlocked.Read(ref _received),
            Interlocked.Read(ref _duplicates),
            seen == 0 ? null : new DateTimeOffset(seen, TimeSpan.Zero));
    }

    public override string ToString() => Name;
}
