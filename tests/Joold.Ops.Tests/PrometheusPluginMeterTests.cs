using System.Diagnostics.Metrics;
using System.Net;
using Joold.Ops.Tests.Support;
using Joold.Plugins.Prometheus;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Ops.Tests;

/// <summary>
/// In process: the exporter serves a plugin's meter (such as Joold.Tls) when its scope is the daemon's Joold meter,
/// with the same naming rules, and no meter scoped elsewhere or not at all.
/// </summary>
public class PrometheusPluginMeterTests
{
    [Fact]
    public async Task A_plugin_meter_scoped_to_the_daemons_meter_is_served_and_others_are_not()
    {
        await using var relay = new SessionRelay([], [], new JooldCounters(), NullLogger<SessionRelay>.Instance);
        using var daemon = new JooldMeter(new JooldCounters(), relay);
        using var otherDaemon = new JooldMeter(new JooldCounters(), relay);
        await using var exporter = new PrometheusExporter(
            new PrometheusOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, daemon, NullLogger<PrometheusExporter>.Instance);
        await exporter.StartAsync(TestContext.Current.CancellationToken);

        // Created after the exporter started, as a transport's meter is.
        using var scoped = PluginMeter(daemon.Meter, "scoped");
        using var elsewhere = PluginMeter(otherDaemon.Meter, "elsewhere");
        using var unscoped = PluginMeter(null, "unscoped");

        var metrics = await Http.SendAsync(exporter.LocalEndPoint!.Port, "GET", "/metrics");

        Assert.Equal(200, metrics.Status);
        Assert.Contains("joold_kernel_sent_packets_total 0\n", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("# TYPE joold_scoped_batches_sent_total counter\n", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("joold_scoped_batches_sent_total{peer=\"gw2.example.net:6443\"} 7\n", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("# TYPE joold_scoped_peer_last_seen_seconds gauge\n", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("joold_scoped_peer_last_seen_seconds{peer=\"gw2.example.net:6443\"} 1.5\n", metrics.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("joold_elsewhere_", metrics.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("joold_unscoped_", metrics.Body, StringComparison.Ordinal);
    }

    private static Meter PluginMeter(Meter? scope, string prefix)
    {
        var meter = new Meter(new MeterOptions("Joold.Test") { Scope = scope });
        var peer = new KeyValuePair<string, object?>("peer", "gw2.example.net:6443");
        meter.CreateObservableCounter($"joold.{prefix}.batches.sent", () => new Measurement<long>(7, peer), "{batch}");
        meter.CreateObservableGauge($"joold.{prefix}.peer.last_seen", () => new Measurement<double>(1.5, peer), "s");
        return meter;
    }
}
