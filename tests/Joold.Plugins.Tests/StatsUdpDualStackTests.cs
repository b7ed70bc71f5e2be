using System.Net;
using System.Net.Sockets;
using Joold.Plugins.StatsUdp;
using Joold.Stats;

using Joold.Testing;

namespace Joold.Plugins.Tests;

public sealed class StatsUdpDualStackTests
{
    [Fact]
    public async Task The_IPv6_wildcard_answers_IPv4_even_where_the_system_default_is_IPv6_only()
    {
        var counters = new JooldCounters();
        counters.NetSent(1440);
        var (exporter, client, defaultIsV6Only) = await IsolatedNetwork.SetUpAsync(
            () =>
            {
                using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
                var exporter = new StatsUdpExporter(new StatsUdpOptions { Address = "::", Port = 0 }, counters, new RecordingLogger<StatsUdpExporter>());
                exporter.StartAsync(TestContext.Current.CancellationToken).AsTask().GetAwaiter().GetResult();
                return (exporter, new StatsClient(AddressFamily.InterNetwork), !probe.DualMode);
            },
            ("net.ipv6.bindv6only", "1"));
        await using var _ = exporter;
        using var __ = client;

        // The namespace really defaults to IPv6-only, so only the exporter's own IPV6_V6ONLY = 0 lets IPv4 in.
        Assert.True(defaultIsV6Only);
        string text = await client.QueryAsync(new IPEndPoint(IPAddress.Loopback, exporter.LocalEndPoints[0].Port));
        Assert.Equal("KERNEL_SENT_PKTS,0\nKERNEL_SENT_BYTES,0\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,1\nNET_SENT_BYTES,1440\n", text);
    }
}
