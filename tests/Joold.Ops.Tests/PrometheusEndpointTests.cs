using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Joold.FakeKernel;
using Joold.Ops.Tests.Support;
using Joold.Testing;

namespace Joold.Ops.Tests;

/// <summary>The Prometheus plugin as an operator meets it: what /metrics says, what else gets 404, and start errors.</summary>
public class PrometheusEndpointTests
{
    [Fact]
    public async Task Metrics_follow_Prometheus_naming_and_everything_else_is_404()
    {
        using var directory = new TempDirectory();
        int[] udp = RacyLoopbackPorts.Pick(2);
        int port = TcpPorts.Reserve(1)[0];
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string config = directory.File("joold.json", string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "JoolNetlink": { "instance": "default", "netlink peer": {{kernel.PortId}} },
              "Unicast": { "listen": "127.0.0.1:{{udp[0]}}", "peers": ["127.0.0.1:{{udp[1]}}"] },
              "Prometheus": { "listen": "127.0.0.1:{{port}}" }
            }
            """));
        await using var daemon = DaemonProcess.StartJoold(["run", config], directory.Path);
        await daemon.WaitForOutputAsync("Relay started");

        var metrics = await Http.SendAsync(port, "GET", "/metrics");
        Assert.Equal(200, metrics.Status);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8", metrics.Head, StringComparison.Ordinal);
        foreach (string counter in new[]
        {
            "joold_kernel_sent_packets_total", "joold_kernel_sent_bytes_total", "joold_net_received_packets_total",
            "joold_net_received_bytes_total", "joold_net_sent_packets_total", "joold_net_sent_bytes_total",
            "joold_local_delivered_packets_total", "joold_local_delivered_sessions_total", "joold_dropped_batches_total",
            "joold_sink_failures_total", "joold_netlink_overruns_total", "joold_invalid_batches_total",
        })
        {
            Assert.Contains($"# TYPE {counter} counter\n", metrics.Body, StringComparison.Ordinal);
            Assert.Matches($"(?m)^# HELP {counter} \\S", metrics.Body);
        }

        Assert.Contains("joold_kernel_sent_packets_total 0\n", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("joold_invalid_batches_total{side=\"local\"} 0\n", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("joold_invalid_batches_total{side=\"peer\"} 0\n", metrics.Body, StringComparison.Ordinal);
        Assert.Contains("# TYPE joold_sink_queue_depth gauge\n", metrics.Body, StringComparison.Ordinal);
        Assert.Contains($"joold_sink_queue_depth{{sink=\"unicast 127.0.0.1:{udp[0]} -> 127.0.0.1:{udp[1]}\",side=\"peer\"}} 0\n", metrics.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("process_", metrics.Body, StringComparison.Ordinal); // only Joold's own metrics

        // The Host header does not matter (a scrape of localhost:PORT or of the gateway's name).
        Assert.Equal(200, (await Http.SendAsync(port, "GET", "/metrics?x=1", host: "gw1.example:9464")).Status);
        Assert.Equal(200, (await Http.SendAsync(port, "HEAD", "/metrics")).Status);
        foreach (var (method, path) in new[] { ("GET", "/"), ("GET", "/metricsx"), ("GET", "/metrics/x"), ("GET", "/favicon.ico"), ("POST", "/metrics"), ("DELETE", "/metrics") })
        {
            Assert.True((await Http.SendAsync(port, method, path)).Status == 404, $"{method} {path} must be 404");
        }
    }

    [Fact]
    public async Task A_taken_port_is_one_line_at_start_and_exit_code_1()
    {
        using var directory = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        int[] udp = RacyLoopbackPorts.Pick(2);
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string config = directory.File("joold.json", string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "JoolNetlink": { "instance": "default", "netlink peer": {{kernel.PortId}} },
              "Unicast": { "listen": "127.0.0.1:{{udp[0]}}", "peers": ["127.0.0.1:{{udp[1]}}"] },
              "Prometheus": { "listen": "127.0.0.1:{{port}}" }
            }
            """));

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["run", config], directory.Path);

        Assert.Equal(1, exitCode);
        string line = Assert.Single(stderr.Split('\n'), l => l.StartsWith("joold:", StringComparison.Ordinal));
        Assert.Matches("^joold: plugin 'Prometheus' \\(.*/plugins/Prometheus/Prometheus.dll\\) component 'prometheus http 127.0.0.1:" + port + "' failed to start: cannot listen on TCP 127.0.0.1:" + port + " \\('listen'\\): address already in use$", line);
    }

    [Theory]
    [InlineData("\"127.0.0.1\"")]
    [InlineData("\"localhost:9464\"")]
    [InlineData("9464")]
    public async Task A_bad_listen_value_is_one_line_naming_the_file_and_key(string value)
    {
        using var directory = new TempDirectory();
        string config = directory.File("joold.json", $$"""{ "Prometheus": { "listen": {{value}} } }""");

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["run", config], directory.Path);

        Assert.Equal(1, exitCode);
        string line = Assert.Single(stderr.Split('\n'), l => l.StartsWith("joold:", StringComparison.Ordinal));
        Assert.Contains(config, line, StringComparison.Ordinal);
        Assert.Contains("listen", line, StringComparison.Ordinal);
    }
}
