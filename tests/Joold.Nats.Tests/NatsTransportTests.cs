using Joold.Nats.Tests.Support;
using Joold.Plugins.Nats;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Joold.Nats.Tests;

/// <summary>The transport in process, with real relays, against a real nats-server.</summary>
public sealed class NatsTransportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_gateways_exchange_batches_byte_identical_and_never_get_their_own_back()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var a = await NatsNode.StartAsync(NatsNode.Settings(cluster, "a", "pair"));
        await using var b = await NatsNode.StartAsync(NatsNode.Settings(cluster, "b", "pair"));
        byte[][] fromA = [TestSessions.Unique(1), TestSessions.Unique(36), TestSessions.Unique(5)];
        byte[][] fromB = [TestSessions.Unique(2), TestSessions.Unique(17)];

        await a.PublishAsync(fromA);
        await b.PublishAsync(fromB);

        await Eventually.WaitAsync(() => b.Kernel.Received.Count == fromA.Length && a.Kernel.Received.Count == fromB.Length, "each kernel to get the other's batches");
        Assert.Equal(fromA, b.Kernel.Received);
        Assert.Equal(fromB, a.Kernel.Received);
        await Eventually.WaitAsync(() => a.Transport.OwnSkipped == fromA.Length && b.Transport.OwnSkipped == fromB.Length, "each consumer to skip its own batches");
        Assert.Equal(fromA.Length, b.Transport.Delivered);
        Assert.Equal(fromB.Length, a.Transport.Delivered);
        Assert.Equal((3, 3), (a.Stats.KernelSentPackets, a.Stats.NetSentPackets));
        Assert.Equal((2, 2), (a.Stats.NetReceivedPackets, a.Stats.LocalDeliveredPackets));
        Assert.Equal(0, a.Stats.SinkFailures + b.Stats.SinkFailures + a.Stats.Dropped + b.Stats.Dropped + a.Stats.InvalidPeer + b.Stats.InvalidPeer);
        Assert.Equal(0, a.Transport.BufferOverflows + b.Transport.BufferOverflows);
    }

    [Fact]
    public async Task Batches_of_a_gateway_that_started_without_any_server_reach_the_others_in_order_once_one_answers()
    {
        int port = TcpPorts.Reserve(1)[0];
        await using var server = new NatsServer("late", port, null, []);
        var settings = new NatsSettings { Servers = [server.Url], Node = "a", Instance = "late", Buffer = 8 };
        byte[][] batches = Enumerable.Range(1, 12).Select(TestSessions.Unique).ToArray();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var a = await NatsNode.StartAsync(settings);
        Assert.True(clock.Elapsed < NatsTransport.StartConnectTimeout + TimeSpan.FromSeconds(5), $"the start took {clock.Elapsed}");
        Assert.Single(a.Logger.WithId(703));
        foreach (byte[] batch in batches)
        {
            a.Kernel.Emit(batch);
        }

        // At most one in flight plus the buffer's 8 are kept; the rest is refused, counted and logged.
        await Eventually.WaitAsync(() => a.Kernel.EmitResults.Count == batches.Length, "the relay to take every batch from the kernel");
        await Eventually.WaitAsync(() => a.Stats.NetSentPackets + a.Stats.SinkFailures == batches.Length, "the sink to answer every batch");
        long kept = a.Stats.NetSentPackets;
        Assert.InRange(kept, 8, 9);
        Assert.Equal(batches.Length - kept, a.Transport.BufferOverflows);
        Assert.Equal(batches.Length - kept, a.Stats.SinkFailures);
        Assert.NotEmpty(a.Logger.WithId(707));

        await server.StartAsync();
        await using var b = await NatsNode.StartAsync(settings with { Node = "b" });

        await Eventually.WaitAsync(() => b.Kernel.Received.Count == kept, $"B's kernel to get the {kept} buffered batches", TimeSpan.FromSeconds(30));
        // Which ones were refused depends on when the publisher took the first off the buffer; the rest keep their order.
        var received = b.Kernel.Received.ToList();
        Assert.Equal(received, batches.Where(x => received.Exists(r => r.AsSpan().SequenceEqual(x))));
        Assert.Equal(batches[0], received[0]);
        Assert.Equal(kept, a.Transport.Published);
        Assert.Equal(0, a.Transport.Buffered);
    }

    [Fact]
    public async Task A_batch_the_relay_cannot_take_for_the_kernel_comes_back_later_and_acks_wait_for_the_kernel()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var a = await NatsNode.StartAsync(NatsNode.Settings(cluster, "a", "lag"));
        var counters = new JooldCounters();
        var kernel = new GatedKernel();
        await using var transport = new NatsTransport(NatsNode.Settings(cluster, "b", "lag"), counters, new RecordingLogger<NatsTransport>());
        await transport.StartAsync(Token);
        await using var relay = new SessionRelay([transport], [kernel, transport], counters, NullLogger<SessionRelay>.Instance, new RelayOptions { SinkQueueCapacity = 2 });
        relay.Start();
        byte[][] batches = Enumerable.Range(1, 6).Select(TestSessions.Unique).ToArray();

        await a.PublishAsync(batches);

        // One batch in the kernel sink, two queued: the others are refused and go back to the server.
        await Eventually.WaitAsync(() => counters.GetSnapshot().Dropped >= 1, "the relay to refuse a batch while the kernel lags");
        Assert.True(transport.Delivered >= 3, $"the relay accepted {transport.Delivered} batches");
        Assert.Equal(0, transport.Acknowledged);

        kernel.Open();

        await Eventually.WaitAsync(() => kernel.Received.Count == batches.Length, "every batch in the kernel once it takes them", TimeSpan.FromSeconds(30));
        Assert.Equal(batches.Order(ByteArrays.Comparer), kernel.Received.Order(ByteArrays.Comparer));
        await Eventually.ValueAsync(() => ConsumerAsync(cluster, "lag", "b"), c => c.NumAckPending == 0 && c.NumPending == 0, "every message acknowledged");
        Assert.Equal(batches.Length, transport.Acknowledged);
        Assert.NotEmpty(((RecordingLogger<NatsTransport>)transport.Logger).WithId(711));
    }

    [Fact]
    public async Task A_message_that_is_not_a_container_is_discarded_counted_and_logged()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var b = await NatsNode.StartAsync(NatsNode.Settings(cluster, "b", "garbage"));
        await using var client = cluster.Connect();
        var jetStream = new NatsJSContext(client);
        byte[] good = TestSessions.Unique(3);

        await jetStream.PublishAsync("joold.garbage.x", new byte[] { 1, 2, 3 }, cancellationToken: Token);
        await jetStream.PublishAsync("joold.garbage.x", good, cancellationToken: Token);

        await Eventually.WaitAsync(() => b.Kernel.Received.Count == 1, "the valid batch to reach the kernel");
        Assert.Equal(good, Assert.Single(b.Kernel.Received));
        Assert.Equal(1, b.Stats.InvalidPeer);
        Assert.Contains("the 3-byte message on joold.garbage.x is not a valid session container", Assert.Single(b.Logger.Messages(709)), StringComparison.Ordinal);
        await Eventually.ValueAsync(() => ConsumerAsync(cluster, "garbage", "b"), c => c.NumAckPending == 0 && c.NumPending == 0, "both messages settled, the bad one terminated");
    }

    [Fact]
    public async Task A_stream_that_does_not_store_the_groups_subjects_fails_the_start_naming_it()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using (var client = cluster.Connect())
        {
            await new NatsJSContext(client).CreateStreamAsync(new StreamConfig("OTHER", ["other.>"]), Token);
        }

        await using var transport = new NatsTransport(NatsNode.Settings(cluster, "a", "g", stream: "OTHER"), null, NullLogger<NatsTransport>.Instance);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => transport.StartAsync(Token).AsTask());

        Assert.Equal(
            $"NATS stream OTHER on {cluster.Urls[0]}: stream OTHER exists but does not store joold.g.* (its subjects: other.>); add \"joold.>\" or \"joold.g.*\" to it, or name another stream in 'stream'",
            error.Message);
        Assert.False(await transport.SendAsync(new SessionBatch(TestSessions.Unique(1), SessionSide.Local), Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => transport.RunAsync(new NullWriter(), Token));
    }

    [Fact]
    public async Task The_component_rules_hold()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        var transport = new NatsTransport(NatsNode.Settings(cluster, "a", "rules"), null, NullLogger<NatsTransport>.Instance);
        var batch = new SessionBatch(TestSessions.Unique(1), SessionSide.Local);

        // Before the start: no send, no run.
        Assert.False(await transport.SendAsync(batch, Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => transport.RunAsync(new NullWriter(), Token));

        await transport.StartAsync(Token);
        Assert.True(transport.StartAsync(Token).AsTask().IsCompletedSuccessfully);
        Assert.True(await transport.SendAsync(batch, Token));
        Assert.False(await transport.SendAsync(batch, new CancellationToken(canceled: true)));
        await Eventually.WaitAsync(() => transport.Published == 1, "the batch to be published");

        // Dispose ends a pending run, twice is fine, and nothing works afterwards.
        var running = transport.RunAsync(new NullWriter(), CancellationToken.None);
        await transport.DisposeAsync();
        await running.WithTimeout("RunAsync to end once disposed");
        await transport.DisposeAsync();
        Assert.False(await transport.SendAsync(batch, Token));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => transport.StartAsync(Token).AsTask());
    }

    [Fact]
    public async Task A_run_ends_when_its_token_is_cancelled()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var transport = new NatsTransport(NatsNode.Settings(cluster, "a", "cancel"), null, NullLogger<NatsTransport>.Instance);
        await transport.StartAsync(Token);
        using var stop = new CancellationTokenSource();

        var running = transport.RunAsync(new NullWriter(), stop.Token);
        await stop.CancelAsync();

        await running.WithTimeout("RunAsync to end once cancelled");
    }

    private static async Task<ConsumerInfo> ConsumerAsync(NatsCluster cluster, string instance, string node)
    {
        await using var client = cluster.Connect();
        var consumer = await new NatsJSContext(client).GetConsumerAsync("JOOLD", $"joold_{instance}_{node}", Token);
        return consumer.Info;
    }

    private sealed class NullWriter : ISessionBatchWriter
    {
        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken) => ValueTask.FromResult(RelayResult.Accepted);
    }

    [Fact]
    public async Task Gateways_sync_over_TLS_trusting_the_configured_authority()
    {
        using var certificates = new TestCertificates();
        await using var cluster = await NatsCluster.StartSingleAsync(certificates.ServerConfig);
        var settings = NatsNode.Settings(cluster, "a", "tls") with { Servers = [$"tls://127.0.0.1:{cluster.Servers[0].ClientPort}"], TlsCaFile = certificates.CaFile };
        await using var a = await NatsNode.StartAsync(settings);
        await using var b = await NatsNode.StartAsync(settings with { Node = "b" });
        byte[] batch = TestSessions.Unique(36);

        await a.PublishAsync([batch]);

        await Eventually.WaitAsync(() => b.Kernel.Received.Count == 1, "the batch at B over TLS");
        Assert.Equal(batch, Assert.Single(b.Kernel.Received));
        Assert.Empty(a.Logger.WithId(703));
    }

    [Fact]
    public async Task A_gateway_that_does_not_trust_the_servers_certificate_publishes_nothing_and_keeps_its_batches()
    {
        using var certificates = new TestCertificates();
        using var other = new TestCertificates();
        await using var cluster = await NatsCluster.StartSingleAsync(certificates.ServerConfig);
        var settings = NatsNode.Settings(cluster, "a", "tls") with { Servers = [$"tls://127.0.0.1:{cluster.Servers[0].ClientPort}"], TlsCaFile = other.CaFile };

        await using var a = await NatsNode.StartAsync(settings);
        a.Kernel.Emit(TestSessions.Unique(1));

        await Eventually.WaitAsync(() => a.Stats.NetSentPackets == 1, "the batch buffered");

        // The operator is told why, at start and then with every failed publish (rate-limited).
        Assert.Contains("certificate", Assert.Single(a.Logger.Messages(703)), StringComparison.OrdinalIgnoreCase);
        await Eventually.WaitAsync(() => a.Logger.WithId(706).Any(), "a failed publish in the log");
        Assert.Contains("certificate", a.Logger.Messages(706).First(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, a.Transport.Published);
        Assert.Equal(1, a.Transport.Buffered);
    }
}
