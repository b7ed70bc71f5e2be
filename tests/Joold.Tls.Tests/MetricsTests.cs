using System.Diagnostics.Metrics;
using Joold.Plugins.Tls;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Joold.Tls.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Tls.Tests;

/// <summary>The per-peer counters as instruments of the <c>Joold.Tls</c> meter, scoped to the daemon's <c>Joold</c> meter.</summary>
public sealed class MetricsTests
{
    private const int Batches = 20;

    [Fact]
    public async Task The_meter_reports_each_peers_batches_sent_and_acknowledged()
    {
        await using var relay = new SessionRelay([], [], new JooldCounters(), NullLogger<SessionRelay>.Instance);
        using var daemonMeter = new JooldMeter(new JooldCounters(), relay);
        using var services = new ServiceCollection().AddSingleton(daemonMeter).BuildServiceProvider();
        using var pki = new TestPki();
        await using var a = await TlsNode.StartAsync(pki.Issue("a"), services: services);
        await using var b = await TlsNode.StartAsync(pki.Issue("b"), listen: null, peers: [a.Address], services: services);
        await a.WaitConnectedAsync();
        await b.WaitConnectedAsync();

        Assert.Equal("Joold.Tls", b.Transport.Meter!.Name);
        Assert.Same(daemonMeter.Meter, b.Transport.Meter.Scope);
        for (int i = 0; i < Batches; i++)
        {
            Assert.True(b.Send(TestSessions.Unique(2)));
        }

        await Eventually.WaitAsync(() => a.Received.Count == Batches, "every batch on the other side");
        await Eventually.WaitAsync(() => Collect(b.Transport.Meter)[("joold.tls.batches.acked", a.Address)] == Batches, "every batch acknowledged");

        var fromB = Collect(b.Transport.Meter);
        Assert.Equal(Batches, fromB[("joold.tls.batches.sent", a.Address)]);
        Assert.Equal(0, fromB[("joold.tls.batches.resent", a.Address)]);
        Assert.Equal(0, fromB[("joold.tls.batches.dropped", a.Address)]);
        Assert.Equal(0, fromB[("joold.tls.queue.depth", a.Address)]);
        Assert.Equal(1, fromB[("joold.tls.peer.connected", a.Address)]);
        Assert.InRange(fromB[("joold.tls.peer.last_seen", a.Address)], 0, 60);
        Assert.Equal(0, fromB[("joold.tls.refusals", "")]);

        // The receiving side knows its peer by the certificate subject.
        var fromA = Collect(a.Transport.Meter!);
        Assert.Equal(Batches, fromA[("joold.tls.batches.received", "CN=b")]);
        Assert.Equal(0, fromA[("joold.tls.batches.sent", "CN=b")]);

        // Disposed with the transport: nothing left to collect.
        await b.Transport.DisposeAsync();
        Assert.Empty(Collect(b.Transport.Meter));
    }

    [Fact]
    public async Task Without_a_daemon_meter_the_meter_has_no_scope()
    {
        using var pki = new TestPki();
        await using var node = await TlsNode.StartAsync(pki.Issue("alone"), peers: ["127.0.0.1:1"]);

        Assert.Null(node.Transport.Meter!.Scope);
        var measured = Collect(node.Transport.Meter);
        Assert.Equal(0, measured[("joold.tls.peer.connected", "127.0.0.1:1")]);
        Assert.DoesNotContain(measured.Keys, k => k.Name == "joold.tls.peer.last_seen"); // never seen: no value
    }

    /// <summary>One collection of <paramref name="meter"/>'s instruments: value by (instrument, peer tag).</summary>
    private static Dictionary<(string Name, string Peer), double> Collect(Meter meter)
    {
        var measured = new Dictionary<(string Name, string Peer), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measured[(i.Name, PeerOf(tags))] = v);
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measured[(i.Name, PeerOf(tags))] = v);
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measured[(i.Name, PeerOf(tags))] = v);
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }

    private static string PeerOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "peer")
            {
                return (string)tag.Value!;
            }
        }

        return "";
    }
}
