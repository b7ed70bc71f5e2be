using System.Diagnostics.Metrics;
using Joold.Ops.Tests.Support;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Ops.Tests;

/// <summary>The Joold meter reads the counters and the sink queues; the relay's liveness sees a stuck handover.</summary>
public class MeterTests
{
    private static readonly byte[] OneSession = MakeSession();

    [Fact]
    public async Task The_meter_reports_the_counters_and_each_sinks_queue_depth()
    {
        var counters = new JooldCounters();
        var source = new TestSource(SessionSide.Local);
        var sink = new TestSink(blockThread: false);
        await using var relay = new SessionRelay([source], [sink], counters, NullLogger<SessionRelay>.Instance);
        using var meter = new JooldMeter(counters, relay);
        relay.Start();
        var writer = await source.Writer.WithTimeout("the source's writer");

        // The first batch is in the sink (held), the next four wait in its queue.
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(RelayResult.Accepted, await writer.WriteAsync(OneSession, CancellationToken.None));
        }

        await writer.WriteAsync(new byte[3], CancellationToken.None); // invalid: counted, not queued
        counters.NetReceived(100);
        counters.Invalid(SessionSide.Peer);
        await Eventually.WaitAsync(() => sink.Entered == 1, "the first batch in the sink");

        var measured = Collect(meter.Meter);

        Assert.Equal(JooldMeter.MeterName, meter.Meter.Name);
        Assert.Equal(5, measured[("joold.kernel.sent.packets", "")]);
        Assert.Equal(5 * OneSession.Length, measured[("joold.kernel.sent.bytes", "")]);
        Assert.Equal(1, measured[("joold.net.received.packets", "")]);
        Assert.Equal(100, measured[("joold.net.received.bytes", "")]);
        Assert.Equal(0, measured[("joold.net.sent.packets", "")]);
        Assert.Equal(1, measured[("joold.invalid.batches", "side=local")]);
        Assert.Equal(1, measured[("joold.invalid.batches", "side=peer")]);
        Assert.Equal(4, measured[("joold.sink.queue.depth", "sink=test sink,side=peer")]);

        sink.Release();
        await Eventually.WaitAsync(() => Collect(meter.Meter)[("joold.net.sent.packets", "")] == 5, "five batches sent");
        Assert.Equal(0, Collect(meter.Meter)[("joold.sink.queue.depth", "sink=test sink,side=peer")]);
        Assert.Equal("By", Instrument(meter.Meter, "joold.kernel.sent.bytes").Unit);
        Assert.Equal("{packet}", Instrument(meter.Meter, "joold.kernel.sent.packets").Unit);
    }

    [Fact]
    public async Task A_source_stuck_handing_over_a_batch_makes_the_relay_not_alive()
    {
        var counters = new JooldCounters();
        var source = new TestSource(SessionSide.Local);
        var sink = new TestSink(blockThread: true) { PassThrough = true };
        var relay = new SessionRelay([source], [sink], counters, NullLogger<SessionRelay>.Instance);
        var stall = TimeSpan.FromMilliseconds(200);
        Assert.False(relay.IsAlive(stall, out string? notStarted));
        Assert.Equal("the relay is not running", notStarted);
        relay.Start();
        var writer = await source.Writer.WithTimeout("the source's writer");
        Assert.True(relay.IsAlive(stall, out _)); // idle is alive

        // An idle pump runs the sink on the source's thread, but only once it has parked after Start. Batches pass
        // through until one ran on the writer's own thread: the pump then parked again before that write returned,
        // so the next write runs the blocking sink on the source's thread and does not return while it blocks.
        bool ranInline = false;
        while (!ranInline)
        {
            Assert.True(sink.Entered < 50, "no batch ran on the writer's thread");
            int before = sink.Entered;
            int writerThread = Environment.CurrentManagedThreadId;
            var passing = writer.WriteAsync(OneSession, CancellationToken.None);
            ranInline = sink.Entered == before + 1 && sink.LastThreadId == writerThread; // before any await
            await passing;
            await Eventually.WaitAsync(() => sink.Entered > before, "the batch passed through");
        }

        int passed = sink.Entered;
        sink.PassThrough = false;
        var write = Task.Run(() => writer.WriteAsync(OneSession, CancellationToken.None).AsTask());
        await Eventually.WaitAsync(() => sink.Entered == passed + 1, "the sink entered");
        string? problem = null;
        await Eventually.WaitAsync(() => !relay.IsAlive(stall, out problem), "the relay seen as stalled");
        Assert.StartsWith("source 'test source' has been handing over one batch for ", problem, StringComparison.Ordinal);

        sink.Release();
        await write.WithTimeout("the write to return");
        Assert.True(relay.IsAlive(stall, out _));
        await relay.DisposeAsync();
        Assert.False(relay.IsAlive(stall, out _));
    }

    private static Dictionary<(string Name, string Tags), long> Collect(Meter meter)
    {
        var measured = new Dictionary<(string, string), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measured[(i.Name, Tags(tags))] = v);
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measured[(i.Name, Tags(tags))] = v);
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }

    private static Instrument Instrument(Meter meter, string name)
    {
        Instrument? found = null;
        using var listener = new MeterListener { InstrumentPublished = (i, _) => found = ReferenceEquals(i.Meter, meter) && i.Name == name ? i : found };
        listener.Start();
        return found ?? throw new InvalidOperationException($"no instrument {name}");
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(',', parts);
    }

    private static byte[] MakeSession()
    {
        // One valid entry: attribute length 40, type 1, then a 36-byte session of zeros (protocol and timer 0).
        var entry = new byte[40];
        entry[0] = 40;
        entry[2] = 1;
        return entry;
    }
}
