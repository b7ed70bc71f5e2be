using System.Net;
using System.Net.Sockets;
using Joold.Plugins.StatsUdp;
using Joold.Stats;
using Joold.Testing;

namespace Joold.Plugins.Tests;

public sealed class StatsUdpExporterTests
{
    private static readonly string KnownText =
        "KERNEL_SENT_PKTS,3\nKERNEL_SENT_BYTES,3280\nNET_RCVD_PKTS,1\nNET_RCVD_BYTES,40\nNET_SENT_PKTS,2\nNET_SENT_BYTES,2880\n";

    private static JooldCounters KnownCounters()
    {
        var counters = new JooldCounters();
        counters.KernelSent(1440);
        counters.KernelSent(1440);
        counters.KernelSent(400);
        counters.NetReceived(40);
        counters.NetSent(1440);
        counters.NetSent(1440);

        // Counters outside C joold's six must not show up in the reply.
        counters.Invalid(Relay.SessionSide.Peer);
        counters.Drop();
        counters.LocalDelivered(80, 2);
        return counters;
    }

    private static async Task<StatsUdpExporter> StartAsync(
        string address,
        IJooldStatistics statistics,
        int port = 0,
        RecordingLogger<StatsUdpExporter>? logger = null,
        int repliesPerSecond = StatsUdpOptions.DefaultRepliesPerSecond)
    {
        var options = new StatsUdpOptions { Address = address, Port = port, RepliesPerSecond = repliesPerSecond };
        var exporter = new StatsUdpExporter(options, statistics, logger ?? new RecordingLogger<StatsUdpExporter>());
        await exporter.StartAsync(TestContext.Current.CancellationToken);
        return exporter;
    }

    [Fact]
    public async Task Dual_stack_wildcard_answers_an_IPv4_client_with_the_exact_text()
    {
        await using var exporter = await StartAsync("::", KnownCounters());
        var bound = Assert.Single(exporter.LocalEndPoints);
        Assert.Equal(AddressFamily.InterNetworkV6, bound.AddressFamily);
        Assert.NotEqual(0, bound.Port);

        using var client = new StatsClient(AddressFamily.InterNetwork);
        await client.SendAsync(new IPEndPoint(IPAddress.Loopback, bound.Port));
        var (text, from) = await client.ReceiveAsync("the reply over IPv4");

        Assert.Equal(KnownText, text);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, bound.Port), from);
    }

    [Fact]
    public async Task Dual_stack_wildcard_answers_an_IPv6_client_with_the_exact_text()
    {
        await using var exporter = await StartAsync("::", KnownCounters());
        int port = Assert.Single(exporter.LocalEndPoints).Port;

        using var client = new StatsClient(AddressFamily.InterNetworkV6);
        await client.SendAsync(new IPEndPoint(IPAddress.IPv6Loopback, port));
        var (text, from) = await client.ReceiveAsync("the reply over IPv6");

        Assert.Equal(KnownText, text);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, port), from);
    }

    [Fact]
    public async Task IPv4_loopback_address_binds_one_IPv4_socket_and_answers()
    {
        await using var exporter = await StartAsync("127.0.0.1", KnownCounters());
        var bound = Assert.Single(exporter.LocalEndPoints);
        Assert.Equal(IPAddress.Loopback, bound.Address);

        using var client = new StatsClient(AddressFamily.InterNetwork);
        Assert.Equal(KnownText, await client.QueryAsync(bound));
    }

    [Fact]
    public async Task IPv4_wildcard_is_IPv4_only()
    {
        await using var exporter = await StartAsync("0.0.0.0", KnownCounters());
        var bound = Assert.Single(exporter.LocalEndPoints);
        Assert.Equal(IPAddress.Any, bound.Address);

        using var client = new StatsClient(AddressFamily.InterNetwork);
        Assert.Equal(KnownText, await client.QueryAsync(new IPEndPoint(IPAddress.Loopback, bound.Port)));
    }

    [Fact]
    public async Task A_host_name_binds_one_socket_per_resolved_address_and_each_answers()
    {
        var expected = (await Dns.GetHostAddressesAsync("localhost", TestContext.Current.CancellationToken)).Distinct().ToArray();
        await using var exporter = await StartAsync("localhost", KnownCounters());

        Assert.Equal(expected.Order(Comparer<IPAddress>.Create((x, y) => string.CompareOrdinal(x.ToString(), y.ToString()))),
            exporter.LocalEndPoints.Select(e => e.Address).Order(Comparer<IPAddress>.Create((x, y) => string.CompareOrdinal(x.ToString(), y.ToString()))));
        foreach (var bound in exporter.LocalEndPoints)
        {
            using var client = new StatsClient(bound.AddressFamily);
            Assert.Equal(KnownText, await client.QueryAsync(bound));
        }
    }

    [Fact]
    public async Task Values_are_read_at_each_request()
    {
        var counters = new JooldCounters();
        await using var exporter = await StartAsync("127.0.0.1", counters);
        var server = exporter.LocalEndPoints[0];
        using var client = new StatsClient(AddressFamily.InterNetwork);

        Assert.Equal("KERNEL_SENT_PKTS,0\nKERNEL_SENT_BYTES,0\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,0\nNET_SENT_BYTES,0\n", await client.QueryAsync(server));

        // Past 2^31: C joold's int counters would wrap negative here; these are 64-bit.
        counters.NetReceived(2_000_000_000);
        counters.NetReceived(2_000_000_000);
        counters.NetReceived(1_000_000_000);
        counters.NetSent(123);
        Assert.Equal("KERNEL_SENT_PKTS,0\nKERNEL_SENT_BYTES,0\nNET_RCVD_PKTS,3\nNET_RCVD_BYTES,5000000000\nNET_SENT_PKTS,1\nNET_SENT_BYTES,123\n", await client.QueryAsync(server));
    }

    [Fact]
    public async Task A_zero_length_request_gets_the_reply()
    {
        await using var exporter = await StartAsync("127.0.0.1", KnownCounters());
        using var client = new StatsClient(AddressFamily.InterNetwork);

        Assert.Equal(KnownText, await client.QueryAsync(exporter.LocalEndPoints[0], []));
    }

    [Fact]
    public async Task The_request_content_is_ignored_whatever_its_size()
    {
        await using var exporter = await StartAsync("::", KnownCounters());
        var server = new IPEndPoint(IPAddress.IPv6Loopback, exporter.LocalEndPoints[0].Port);
        using var client = new StatsClient(AddressFamily.InterNetworkV6);

        Assert.Equal(KnownText, await client.QueryAsync(server, "KERNEL_SENT_PKTS\n"u8.ToArray()));
        Assert.Equal(KnownText, await client.QueryAsync(server, [0]));
        Assert.Equal(KnownText, await client.QueryAsync(server, Enumerable.Range(0, 1500).Select(i => (byte)i).ToArray()));
        Assert.Equal(KnownText, await client.QueryAsync(server, new byte[60_000]));
    }

    [Fact]
    public async Task A_burst_of_concurrent_requests_gets_exactly_one_reply_each()
    {
        const int Clients = 8;
        const int RequestsPerClient = 25;
        var counters = KnownCounters();

        // Each family's clients share one source address: more than the default rate allows.
        await using var exporter = await StartAsync("::", counters, repliesPerSecond: 1000);
        int port = exporter.LocalEndPoints[0].Port;
        var clients = Enumerable.Range(0, Clients)
            .Select(i => new StatsClient(i % 2 == 0 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6))
            .ToArray();
        try
        {
            IPEndPoint ServerFor(StatsClient c) => new(c.Socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, port);

            await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, RequestsPerClient).Select(i => c.SendAsync(ServerFor(c), new byte[i]))));
            var replies = await Task.WhenAll(clients.Select(async c =>
            {
                var texts = new List<string>();
                for (int i = 0; i < RequestsPerClient; i++)
                {
                    texts.Add((await c.ReceiveAsync($"reply {i + 1} of {RequestsPerClient}")).Text);
                }

                return texts;
            }));
            Assert.All(replies.SelectMany(r => r), text => Assert.Equal(KnownText, text));

            // Replies on loopback arrive in order: if a request had been answered twice, the extra old reply would
            // come before the answer to this marker request, whose counters differ.
            counters.KernelSent(60);
            string changed = KnownText.Replace("KERNEL_SENT_PKTS,3\nKERNEL_SENT_BYTES,3280", "KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,3340", StringComparison.Ordinal);
            foreach (var client in clients)
            {
                Assert.Equal(changed, await client.QueryAsync(ServerFor(client)));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task Clients_that_are_gone_before_their_reply_do_not_stop_the_server()
    {
        await using var exporter = await StartAsync("::", KnownCounters());
        int port = exporter.LocalEndPoints[0].Port;

        // Each reply goes to a closed port and draws an ICMP port unreachable back to the server's socket.
        for (int i = 0; i < 20; i++)
        {
            using var gone = new StatsClient(i % 2 == 0 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6);
            await gone.SendAsync(new IPEndPoint(i % 2 == 0 ? IPAddress.Loopback : IPAddress.IPv6Loopback, port));
        }

        using var client = new StatsClient(AddressFamily.InterNetwork);
        Assert.Equal(KnownText, await client.QueryAsync(new IPEndPoint(IPAddress.Loopback, port)));
        using var client6 = new StatsClient(AddressFamily.InterNetworkV6);
        Assert.Equal(KnownText, await client6.QueryAsync(new IPEndPoint(IPAddress.IPv6Loopback, port)));
    }

    [Fact]
    public async Task A_port_in_use_fails_start_naming_the_address_and_the_reason()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        await using var exporter = new StatsUdpExporter(new StatsUdpOptions { Address = "127.0.0.1", Port = port }, new JooldCounters(), new RecordingLogger<StatsUdpExporter>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => exporter.StartAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(exporter.LocalEndPoints);
    }

    [Fact]
    public async Task An_unresolvable_name_fails_start_naming_it()
    {
        await using var exporter = new StatsUdpExporter(new StatsUdpOptions { Address = "no-such-host.invalid", Port = 0 }, new JooldCounters(), new RecordingLogger<StatsUdpExporter>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => exporter.StartAsync(TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("'no-such-host.invalid'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_stops_serving_and_frees_the_port()
    {
        var logger = new RecordingLogger<StatsUdpExporter>();
        var exporter = await StartAsync("127.0.0.1", KnownCounters(), logger: logger);
        var server = exporter.LocalEndPoints[0];
        using (var client = new StatsClient(AddressFamily.InterNetwork))
        {
            Assert.Equal(KnownText, await client.QueryAsync(server));
        }

        await exporter.DisposeAsync().AsTask().WithTimeout("the exporter to stop");

        using var rebind = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rebind.Bind(server);
        Assert.Equal(server, rebind.LocalEndPoint);
        Assert.Contains(logger.Entries, e => e.EventId == 500 && e.Message.Contains(server.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries, e => e.EventId == 503);
    }

    [Fact]
    public async Task A_second_start_does_nothing_and_completes_at_once()
    {
        await using var exporter = await StartAsync("127.0.0.1", KnownCounters());
        var bound = exporter.LocalEndPoints;

        var again = exporter.StartAsync(TestContext.Current.CancellationToken);

        Assert.True(again.IsCompletedSuccessfully);
        Assert.Equal(bound, exporter.LocalEndPoints);
        using var client = new StatsClient(AddressFamily.InterNetwork);
        Assert.Equal(KnownText, await client.QueryAsync(bound[0]));
    }

    [Fact]
    public async Task A_start_after_dispose_throws_ObjectDisposedException()
    {
        var started = await StartAsync("127.0.0.1", KnownCounters());
        await started.DisposeAsync();
        var neverStarted = new StatsUdpExporter(new StatsUdpOptions { Address = "127.0.0.1", Port = 0 }, new JooldCounters(), new RecordingLogger<StatsUdpExporter>());
        await neverStarted.DisposeAsync();
        await neverStarted.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => started.StartAsync(TestContext.Current.CancellationToken).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => neverStarted.StartAsync(TestContext.Current.CancellationToken).AsTask());
    }

    [Fact]
    public async Task A_failed_start_leaves_it_unstarted_so_it_can_be_tried_again()
    {
        // In a namespace of its own, so the port freed below cannot be taken by anyone else in between.
        using var network = await PrivateNetwork.CreateAsync();
        var server = new IPEndPoint(IPAddress.Loopback, StatsUdpOptions.DefaultPort);
        var holder = await network.RunAsync(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(server);
            return socket;
        });
        await using var exporter = new StatsUdpExporter(new StatsUdpOptions { Address = "127.0.0.1" }, KnownCounters(), new RecordingLogger<StatsUdpExporter>());

        // A literal address binds synchronously, on the thread inside the namespace.
        var failure = await network.RunAsync(() => Record.Exception(() => exporter.StartAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult()));
        holder.Dispose();
        await network.RunAsync(() => exporter.StartAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult());

        Assert.IsType<InvalidOperationException>(failure);
        Assert.Equal([server], exporter.LocalEndPoints);
        using var client = await network.RunAsync(() => new StatsClient(AddressFamily.InterNetwork));
        Assert.Equal(KnownText, await client.QueryAsync(server));
    }

    [Fact]
    public async Task The_name_shows_the_configured_address_and_port()
    {
        await using var exporter = new StatsUdpExporter(new StatsUdpOptions(), new JooldCounters(), new RecordingLogger<StatsUdpExporter>());
        Assert.Equal("stats udp [::]:6401", exporter.Name);
    }
}
