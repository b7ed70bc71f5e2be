using System.Diagnostics.Metrics;
using Joold.Relay;

namespace Joold.Stats;

/// <summary>
/// Publishes the daemon's counters through <see cref="System.Diagnostics.Metrics"/>: one <see cref="Meter"/> named
/// <see cref="MeterName"/> whose observable instruments read <see cref="IJooldStatistics"/> and the relay's sink
/// queues when a listener collects, so any .NET metrics exporter (a plugin, <c>dotnet-counters</c>) sees them and
/// the hot path pays nothing. Instrument names use dots and units follow UCUM (<c>By</c>, <c>{packet}</c>), so an
/// exporter that follows the OpenTelemetry-to-Prometheus rules names them <c>joold_kernel_sent_packets_total</c>,
/// <c>joold_kernel_sent_bytes_total</c>, and so on.
/// </summary>
public sealed class JooldMeter : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Joold";

    /// <summary>The tag naming the side a batch came from or goes to: <c>local</c> (the kernel) or <c>peer</c>.</summary>
    public const string SideTag = "side";

    /// <summary>The tag naming a sink (its <see cref="IJooldComponent.Name"/>).</summary>
    public const string SinkTag = "sink";

    private readonly IJooldStatistics _statistics;
    private readonly SessionRelay _relay;

    /// <summary>Creates the meter and its instruments; they read <paramref name="statistics"/> and <paramref name="relay"/>.</summary>
    public JooldMeter(IJooldStatistics statistics, SessionRelay relay)
    {
        _statistics = statistics ?? throw new ArgumentNullException(nameof(statistics));
        _relay = relay ?? throw new ArgumentNullException(nameof(relay));
        Meter = new Meter(MeterName, typeof(JooldMeter).Assembly.GetName().Version?.ToString(3));

        Counter("joold.kernel.sent.packets", "{packet}", "Batches from the kernel handed to the peer sinks (KERNEL_SENT_PKTS).", s => s.KernelSentPackets);
        Counter("joold.kernel.sent.bytes", "By", "Container bytes of the batches from the kernel (KERNEL_SENT_BYTES).", s => s.KernelSentBytes);
        Counter("joold.net.received.packets", "{packet}", "Datagrams received from peers, valid or not (NET_RCVD_PKTS).", s => s.NetReceivedPackets);
        Counter("joold.net.received.bytes", "By", "Bytes of the datagrams received from peers (NET_RCVD_BYTES).", s => s.NetReceivedBytes);
        Counter("joold.net.sent.packets", "{packet}", "Batches a peer sink sent (NET_SENT_PKTS).", s => s.NetSentPackets);
        Counter("joold.net.sent.bytes", "By", "Bytes of the batches sent to peers (NET_SENT_BYTES).", s => s.NetSentBytes);
        Counter("joold.local.delivered.packets", "{packet}", "Peer batches the kernel accepted (JOOLD_ADD).", s => s.LocalDeliveredPackets);
        Counter("joold.local.delivered.bytes", "By", "Bytes of the peer batches the kernel accepted.", s => s.LocalDeliveredBytes);
        Counter("joold.local.delivered.sessions", "{session}", "Sessions in the peer batches the kernel accepted.", s => s.LocalDeliveredSessions);
        Counter("joold.dropped.batches", "{batch}", "Batch copies not queued: a sink's queue was full, or no sink could take them.", s => s.Dropped);
        Counter("joold.sink.failures", "{batch}", "Sends a sink reported as failed, or that threw.", s => s.SinkFailures);
        Counter("joold.netlink.overruns", "{overrun}", "Losses below the relay, such as netlink socket overruns (ENOBUFS).", s => s.Overruns);
        Meter.CreateObservableCounter("joold.invalid.batches", ReadInvalid, "{batch}", "Malformed or empty batches, not forwarded, by the side they came from.");
        Meter.CreateObservableGauge("joold.sink.queue.depth", ReadQueueDepths, "{batch}", "Batches waiting in a sink's queue.");
    }

    /// <summary>The meter. A listener that serves one daemon should select instruments whose meter is this object.</summary>
    public Meter Meter { get; }

    /// <summary>The side's tag value: <c>local</c> or <c>peer</c>.</summary>
    public static string SideName(SessionSide side) => side == SessionSide.Local ? "local" : "peer";

    /// <summary>Disposes the meter: its instruments stop being published.</summary>
    public void Dispose() => Meter.Dispose();

    private void Counter(string name, string unit, string description, Func<StatsSnapshot, long> read) =>
        Meter.CreateObservableCounter(name, () => read(_statistics.GetSnapshot()), unit, description);

    private Measurement<long>[] ReadInvalid()
    {
        var snapshot = _statistics.GetSnapshot();
        return
        [
            new(snapshot.InvalidLocal, new KeyValuePair<string, object?>(SideTag, SideName(SessionSide.Local))),
            new(snapshot.InvalidPeer, new KeyValuePair<string, object?>(SideTag, SideName(SessionSide.Peer))),
        ];
    }

    private IEnumerable<Measurement<int>> ReadQueueDepths() =>
        _relay.SinkQueues.Select(q => new Measurement<int>(
            q.Depth,
            new KeyValuePair<string, object?>(SinkTag, q.Sink.Name),
            new KeyValuePair<string, object?>(SideTag, SideName(q.Sink.Side))));
}
