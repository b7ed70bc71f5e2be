using System.Globalization;
using Joold.FakeKernel;
using Joold.Ops.Tests.Support;
using Joold.Testing;

namespace Joold.Ops.Tests;

/// <summary>
/// Two daemons with fake kernels, relaying over unicast on loopback, each with the Prometheus plugin; a real
/// Prometheus server scrapes both. After kernel A multicasts a known number of batches, PromQL through
/// Prometheus's HTTP API gives the same numbers as the daemons' UDP stats text.
/// </summary>
public class PrometheusServerTests
{
    private const int Batches = 7;
    private const int SessionsPerBatch = 3;
    private const int Bytes = Batches * SessionsPerBatch * 40;

    [Fact]
    public async Task Prometheus_scrapes_the_counters_a_known_number_of_batches_produced()
    {
        Assert.True(PrometheusServer.IsInstalled, "Debian's prometheus package is missing (.ci/run installs it)");
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        int[] udp = RacyLoopbackPorts.Pick(4);
        int[] tcp = TcpPorts.Reserve(2);

        await using var kernelA = await FakeKernelProcess.StartAsync(instance: "prom-a", cancellationToken: ct);
        await using var kernelB = await FakeKernelProcess.StartAsync(instance: "prom-b", cancellationToken: ct);
        string configA = directory.File("a.json", Config("prom-a", kernelA.PortId, udp[0], udp[1], udp[2], tcp[0]));
        string configB = directory.File("b.json", Config("prom-b", kernelB.PortId, udp[1], udp[0], udp[3], tcp[1]));
        await using var daemonA = DaemonProcess.StartJoold(["run", configA], directory.Path);
        await using var daemonB = DaemonProcess.StartJoold(["run", configB], directory.Path);
        await Task.WhenAll(daemonA.WaitForOutputAsync("Relay started"), daemonB.WaitForOutputAsync("Relay started"));
        await using var prometheus = await PrometheusServer.StartAsync(new Dictionary<string, int> { ["a"] = tcp[0], ["b"] = tcp[1] });

        var burst = await kernelA.CommandAsync(string.Create(CultureInfo.InvariantCulture, $"burst {Batches} {SessionsPerBatch}"), ct);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"burst sent={Batches} failed=0"), burst);

        // The daemons' own six lines first: the numbers Prometheus must show.
        string statsA = await Eventually.ValueAsync(() => UdpStats.QueryAsync(udp[2]), s => s.Contains($"NET_SENT_PKTS,{Batches}\n", StringComparison.Ordinal), "A sent every batch");
        string statsB = await Eventually.ValueAsync(() => UdpStats.QueryAsync(udp[3]), s => s.Contains($"NET_RCVD_PKTS,{Batches}\n", StringComparison.Ordinal), "B received every batch");
        Assert.Contains($"KERNEL_SENT_PKTS,{Batches}\nKERNEL_SENT_BYTES,{Bytes}\n", statsA, StringComparison.Ordinal);
        Assert.Contains($"NET_RCVD_PKTS,{Batches}\nNET_RCVD_BYTES,{Bytes}\n", statsB, StringComparison.Ordinal);

        var expected = new Dictionary<string, double>
        {
            ["joold_kernel_sent_packets_total{node=\"a\"}"] = Batches,
            ["joold_kernel_sent_bytes_total{node=\"a\"}"] = Bytes,
            ["joold_net_sent_packets_total{node=\"a\"}"] = Batches,
            ["joold_net_received_packets_total{node=\"a\"}"] = 0,
            ["joold_net_received_packets_total{node=\"b\"}"] = Batches,
            ["joold_net_received_bytes_total{node=\"b\"}"] = Bytes,
            ["joold_kernel_sent_packets_total{node=\"b\"}"] = 0,
            ["sum by (node) (joold_invalid_batches_total{node=\"b\"})"] = 0,
            ["up{node=\"a\"}"] = 1,
        };
        foreach (var (query, value) in expected)
        {
            double? actual = await Eventually.ValueAsync(() => prometheus.QueryAsync(query), v => v == value, $"PromQL {query} = {value}");
            Assert.Equal(value, actual);
        }

        // B's kernel accepted every batch, so its sessions show up as delivered.
        double? sessions = await Eventually.ValueAsync(
            () => prometheus.QueryAsync("joold_local_delivered_sessions_total{node=\"b\"}"), v => v == Batches * SessionsPerBatch, "B's delivered sessions");
        Assert.Equal(Batches * SessionsPerBatch, sessions);
    }

    private static string Config(string instance, uint kernelPort, int listen, int peer, int statsPort, int metricsPort) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""
        {
          "JoolNetlink": { "instance": "{{instance}}", "netlink peer": {{kernelPort}} },
          "Unicast": { "listen": "127.0.0.1:{{listen}}", "peers": ["127.0.0.1:{{peer}}"] },
          "StatsUdp": { "address": "127.0.0.1", "port": "{{statsPort}}" },
          "Prometheus": { "listen": "127.0.0.1:{{metricsPort}}" }
        }
        """);
}
