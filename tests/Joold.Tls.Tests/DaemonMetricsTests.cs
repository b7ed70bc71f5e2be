using System.Text.RegularExpressions;
using Joold.FakeKernel;
using Joold.Plugins.Tls.Protocol;
using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests;

/// <summary>A joold daemon with the Tls and Prometheus plugins (each in its own load context): /metrics has the peers.</summary>
public sealed class DaemonMetricsTests
{
    [Fact]
    public async Task The_per_peer_counters_are_served_at_metrics()
    {
        using var pki = new TestPki();
        var files = pki.Issue("daemon");
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string config = pki.Write("daemon.json", $$"""
            {
              "JoolNetlink": { "instance": "default", "netlink peer": {{kernel.PortId}} },
              "Tls": { "listen": "127.0.0.1:0", "peers": ["192.0.2.1:6443"], "certificate": "{{files.CertificateFile}}", "key": "{{files.KeyFile}}", "ca": "{{files.CaFile}}" },
              "Prometheus": { "listen": "127.0.0.1:0" }
            }
            """);
        await using var daemon = DaemonProcess.StartJoold(["run", config], pki.Directory);
        var tls = await daemon.WaitForEndPointAsync("Tls transport: listening on TCP ");
        string listening = await daemon.WaitForLineAsync(l => l.Contains("Prometheus metrics on http://", StringComparison.Ordinal), "the metrics endpoint");
        var metricsUri = new Uri(Regex.Match(listening, @"http://\S+/metrics").Value);

        await using (var peer = await RawPeer.DialAsync(tls, RawPeer.Load(pki.Issue("peer"))))
        {
            await peer.SendHelloAndBatchAsync(TestSessions.Unique(2));
            await peer.ReadFramesAsync(f => f.Any(x => x.Type == FrameType.Ack && x.Number == 1));
        }

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(metricsUri, TestContext.Current.CancellationToken);
        Assert.Contains("joold_tls_batches_received_total{peer=\"CN=peer\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("joold_tls_peer_connected{peer=\"192.0.2.1:6443\"} 0\n", metrics, StringComparison.Ordinal); // never reached
        Assert.Contains("# TYPE joold_tls_batches_sent_total counter\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE joold_tls_queue_depth gauge\n", metrics, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.TerminateAsync());
    }
}
