using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Joold.Plugins.StatsUdp;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Plugins.Tests;

/// <summary>
/// The stats reply is 4.75 times the smallest request, so a forged source address would aim it at a victim. Each
/// source address gets <see cref="StatsUdpOptions.RepliesPerSecond"/> replies a second, in bursts of as many; the
/// clock is a fake that only moves when a test says so, so a bucket holds exactly that many.
/// </summary>
public sealed class StatsUdpRateLimitTests
{
    private const int Rate = StatsUdpOptions.DefaultRepliesPerSecond;
    private const string Text = "KERNEL_SENT_PKTS,0\nKERNEL_SENT_BYTES,0\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,1\nNET_SENT_BYTES,1440\n";
    private const string Marker = "KERNEL_SENT_PKTS,1\nKERNEL_SENT_BYTES,60\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,1\nNET_SENT_BYTES,1440\n";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static JooldCounters Counters()
    {
        var counters = new JooldCounters();
        counters.NetSent(1440);
        return counters;
    }

    private static async Task<StatsUdpExporter> StartAsync(string address, IJooldStatistics statistics, FakeTimeProvider time, RecordingLogger<StatsUdpExporter> logger)
    {
        var exporter = new StatsUdpExporter(new StatsUdpOptions { Address = address, Port = 0 }, statistics, logger, time);
        await exporter.StartAsync(Token);
        return exporter;
    }

    /// <summary>Sends <paramref name="requests"/> requests and waits until the server refused all but a bucket of them.</summary>
    private static async Task FloodAsync(StatsClient client, IPEndPoint server, StatsUdpExporter exporter, int requests)
    {
        long refusedBefore = exporter.RefusedRequests;
        for (int i = 0; i < requests; i++)
        {
            await client.SendAsync(server);
        }

        await Eventually.WaitAsync(() => exporter.RefusedRequests == refusedBefore + requests - Rate, $"{requests - Rate} of {requests} requests refused");
    }

    [Fact]
    public async Task A_flood_from_one_source_gets_a_bucket_of_exact_replies_and_the_rest_is_counted_and_logged()
    {
        var time = new FakeTimeProvider();
        var counters = Counters();
        var logger = new RecordingLogger<StatsUdpExporter>();
        await using var exporter = await StartAsync("127.0.0.1", counters, time, logger);
        var server = exporter.LocalEndPoints[0];
        using var client = new StatsClient(AddressFamily.InterNetwork);

        await FloodAsync(client, server, exporter, 3 * Rate);

        for (int i = 0; i < Rate; i++)
        {
            Assert.Equal((Text, server), await client.ReceiveAsync($"reply {i + 1} of {Rate}"));
        }

        // Replies on loopback arrive in order: had a 21st request been answered, its reply would come before the
        // answer to this marker, asked once the bucket has had time to refill and whose counters differ.
        counters.KernelSent(60);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Marker, await client.QueryAsync(server));
        Assert.Equal(2 * Rate, exporter.RefusedRequests);

        // Logged, but rate-limited: a flood is not a flood of log lines.
        var logged = logger.WithId(504).ToArray();
        Assert.InRange(logged.Length, 1, 10);
        Assert.All(logged, e => Assert.Contains($"no reply to {client.Socket.LocalEndPoint}, which asks more than {Rate} times a second", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_source_is_answered_while_one_is_over_its_rate_and_other_ports_of_that_address_are_not()
    {
        var time = new FakeTimeProvider();
        var counters = Counters();
        await using var exporter = await StartAsync("0.0.0.0", counters, time, new RecordingLogger<StatsUdpExporter>());
        var server = new IPEndPoint(IPAddress.Loopback, exporter.LocalEndPoints[0].Port);
        using var flooder = new StatsClient(AddressFamily.InterNetwork);
        await FloodAsync(flooder, server, exporter, 2 * Rate);

        using var other = new StatsClient(AddressFamily.InterNetwork, IPAddress.Parse("127.0.0.2"));
        Assert.Equal(Text, await other.QueryAsync(server));

        using var samePlace = new StatsClient(AddressFamily.InterNetwork);
        await samePlace.SendAsync(server);
        await Eventually.WaitAsync(() => exporter.RefusedRequests == Rate + 1, "the flooder's address refused on another port too");

        counters.KernelSent(60);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Marker, await samePlace.QueryAsync(server));
    }

    [Fact]
    public async Task An_IPv4_flood_on_a_dual_stack_socket_leaves_IPv6_loopback_answered()
    {
        var time = new FakeTimeProvider();
        await using var exporter = await StartAsync("::", Counters(), time, new RecordingLogger<StatsUdpExporter>());
        int port = exporter.LocalEndPoints[0].Port;
        using var flooder = new StatsClient(AddressFamily.InterNetwork);
        await FloodAsync(flooder, new IPEndPoint(IPAddress.Loopback, port), exporter, 2 * Rate);

        using var client6 = new StatsClient(AddressFamily.InterNetworkV6);
        Assert.Equal(Text, await client6.QueryAsync(new IPEndPoint(IPAddress.IPv6Loopback, port)));
    }

    [Fact]
    public async Task Bound_to_loopback_it_refuses_a_query_to_the_hosts_other_address_which_the_wildcard_answers()
    {
        // A namespace of the test's own, where the host also has 192.0.2.1 (on lo: no module needed).
        using var network = await PrivateNetwork.CreateAsync();
        var other = IPAddress.Parse("192.0.2.1");
        await network.RunAsync(() => Run("ip", "address", "add", "192.0.2.1/32", "dev", "lo"));

        // Literal addresses bind synchronously, on the thread inside the namespace.
        static StatsUdpExporter Start(string address)
        {
            var exporter = new StatsUdpExporter(new StatsUdpOptions { Address = address, Port = 0 }, Counters(), new RecordingLogger<StatsUdpExporter>());
            exporter.StartAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return exporter;
        }

        await using var loopbackOnly = await network.RunAsync(() => Start("127.0.0.1"));
        await using var wildcard = await network.RunAsync(() => Start("0.0.0.0"));
        int loopbackPort = loopbackOnly.LocalEndPoints[0].Port;
        using var client = await network.RunAsync(() => new StatsClient(AddressFamily.InterNetwork, IPAddress.Any));
        using var connected = await network.RunAsync(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(new IPEndPoint(other, loopbackPort));
            return socket;
        });

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, loopbackPort)], loopbackOnly.LocalEndPoints);
        Assert.Equal(Text, await client.QueryAsync(new IPEndPoint(IPAddress.Loopback, loopbackPort)));
        Assert.Equal(Text, await client.QueryAsync(new IPEndPoint(other, wildcard.LocalEndPoints[0].Port)));

        // Nothing listens on 192.0.2.1 at that port: the kernel answers port unreachable, which a connected socket reports.
        await connected.SendAsync("\n"u8.ToArray(), SocketFlags.None, Token);
        var refused = await Assert.ThrowsAsync<SocketException>(() => connected.ReceiveAsync(new byte[1024], SocketFlags.None, Token).AsTask().WithTimeout("the port unreachable"));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    private static void Run(string fileName, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{fileName} did not start");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }
}
