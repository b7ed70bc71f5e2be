using System.Diagnostics.Metrics;

namespace Joold.Plugins.Tls;

/// <summary>
/// Publishes each peer's counters (what <see cref="Peer"/> already keeps) as observable instruments of a
/// <c>Joold.Tls</c> meter, tagged <c>peer</c>, read only when a listener collects: nothing is paid per batch. The
/// meter's scope is the daemon's <c>Joold</c> meter, so an exporter serving that daemon recognises it as its own
/// (two daemons in one process each export their own peers).
/// </summary>
internal sealed class TlsMeter : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Joold.Tls";

    /// <summary>The tag naming a peer: its configured "host:port", or the certificate subject of one that dialed in.</summary>
    public const string PeerTag = "peer";

    private readonly PeerDirectory _peers;
    private readonly TimeProvider _time;

    public TlsMeter(PeerDirectory peers, TimeProvider time, Meter? daemonMeter, Func<long> refusals, Func<long> malformedFrames)
    {
        _peers = peers;
        _time = time;
        Meter = new Meter(new MeterOptions(MeterName)
        {
            Version = typeof(TlsMeter).Assembly.GetName().Version?.ToString(3),
            Scope = daemonMeter,
        });
        PerPeer("joold.tls.batches.sent", "Batches sent to the peer for the first time.", s => s.Sent);
        PerPeer("joold.tls.batches.acked", "Batches the peer acknowledged (they left its queue).", s => s.Acknowledged);
        PerPeer("joold.tls.batches.resent", "Batches sent to the peer again after a reconnect.", s => s.Resent);
        PerPeer("joold.tls.batches.dropped", "Batches dropped because the peer's queue was full.", s => s.Dropped);
        PerPeer("joold.tls.batches.received", "Batches from the peer handed to the relay.", s => s.Received);
        PerPeer("joold.tls.batches.duplicate", "Batches from the peer dropped as already delivered.", s => s.Duplicates);
        Meter.CreateObservableGauge("joold.tls.peer.connected", () => Read(s => s.Connected ? 1 : 0), null, "1 while a connection to the peer is up, else 0.");
        Meter.CreateObservableGauge("joold.tls.queue.depth", () => Read(s => s.Queued), "{batch}", "Batches waiting for the peer's acknowledgement.");
        Meter.CreateObservableGauge("joold.tls.peer.last_seen", ReadSinceLastSeen, "s", "Seconds since the last frame from the peer (absent if never).");
        Meter.CreateObservableCounter("joold.tls.refusals", refusals, "{connection}", "Connections refused for their certificate or a failed handshake.");
        Meter.CreateObservableCounter("joold.tls.malformed.frames", malformedFrames, "{connection}", "Connections closed for a malformed frame or a protocol violation.");
    }

    public Meter Meter { get; }

    public void Dispose() => Meter.Dispose();

    private void PerPeer(string name, string description, Func<PeerStatus, long> read) =>
        Meter.CreateObservableCounter(name, () => Read(read), "{batch}", description);

    private IEnumerable<Measurement<T>> Read<T>(Func<PeerStatus, T> read)
        where T : struct
    {
        foreach (var peer in _peers.All)
        {
            if (!peer.Ignored)
            {
                yield return new Measurement<T>(read(peer.Status()), new KeyValuePair<string, object?>(PeerTag, peer.Name));
            }
        }
    }

    private IEnumerable<Measurement<double>> ReadSinceLastSeen()
    {
        var now = _time.GetUtcNow();
        foreach (var peer in _peers.All)
        {
            if (!peer.Ignored && peer.Status().LastSeen is { } seen)
            {
                yield return new Measurement<double>(Math.Max(0, (now - seen).TotalSeconds), new KeyValuePair<string, object?>(PeerTag, peer.Name));
            }
        }
    }
}
