using System.Net;
using System.Net.Sockets;
using Joold.Plugins.Unicast;
using Joold.Relay;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.Plugins.Tests;

public sealed class UnicastTransportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task SendFromAsync(IPAddress from, IPEndPoint to, byte[] datagram)
    {
        using var socket = new Socket(from.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(from, 0));
        Assert.Equal(datagram.Length, await socket.SendToAsync(datagram, SocketFlags.None, to, Token));
    }

    [Fact]
    public async Task Two_nodes_exchange_batches_byte_identical_through_their_relays()
    {
        var (a, b) = await UnicastNode.StartPairAsync();
        await using var _ = a;
        await using var __ = b;
        byte[][] fromA = [TestSessions.Unique(1), TestSessions.Unique(36), TestSessions.Unique(5)];
        byte[][] fromB = [TestSessions.Unique(2), TestSessions.Unique(17)];

        foreach (byte[] batch in fromA)
        {
            a.Local.Emit(batch);
        }

        foreach (byte[] batch in fromB)
        {
            b.Local.Emit(batch);
        }

        await Eventually.WaitAsync(() => b.Local.Received.Count == fromA.Length, "B's kernel to get A's three batches");
        await Eventually.WaitAsync(() => a.Local.Received.Count == fromB.Length, "A's kernel to get B's two batches");
        Assert.Equal(fromA, b.Local.Received);
        Assert.Equal(fromB, a.Local.Received);
        await Eventually.WaitAsync(() => a.Local.EmitResults.Count == fromA.Length && b.Local.EmitResults.Count == fromB.Length, "both relays to answer every emitted batch");
        Assert.All(a.Local.EmitResults.Concat(b.Local.EmitResults), r => Assert.Equal(RelayResult.Accepted, r));

        int bytesA = fromA.Sum(x => x.Length);
        int bytesB = fromB.Sum(x => x.Length);

        // The relay counts a send or a delivery once the sink returned, and bytes after packets: the peer (or the
        // local side) can see a batch before it is counted, so wait for the counts themselves.
        var statsA = await Eventually.ValueAsync(
            () => Task.FromResult(a.Stats),
            s => s.NetSentBytes == bytesA && s.LocalDeliveredPackets == fromB.Length,
            "A's sends and deliveries counted");
        var statsB = await Eventually.ValueAsync(
            () => Task.FromResult(b.Stats),
            s => s.NetSentBytes == bytesB && s.LocalDeliveredPackets == fromA.Length,
            "B's sends and deliveries counted");
        Assert.Equal((3, bytesA, 3, bytesA), (statsA.KernelSentPackets, statsA.KernelSentBytes, statsA.NetSentPackets, statsA.NetSentBytes));
        Assert.Equal((2, bytesB, 2, bytesB), (statsB.KernelSentPackets, statsB.KernelSentBytes, statsB.NetSentPackets, statsB.NetSentBytes));
        Assert.Equal((3, bytesA, 3), (statsB.NetReceivedPackets, statsB.NetReceivedBytes, statsB.LocalDeliveredPackets));
        Assert.Equal((2, bytesB, 2), (statsA.NetReceivedPackets, statsA.NetReceivedBytes, statsA.LocalDeliveredPackets));
        Assert.Equal(0, statsA.InvalidPeer + statsB.InvalidPeer + statsA.SinkFailures + statsB.SinkFailures + statsA.Dropped + statsB.Dropped);
    }

    [Fact]
    public async Task A_60_KiB_container_arrives_whole()
    {
        var (a, b) = await UnicastNode.StartPairAsync();
        await using var _ = a;
        await using var __ = b;
        byte[] big = TestSessions.Unique(60 * 1024 / SessionContainer.EntrySize);
        Assert.Equal(61_440, big.Length);

        a.Local.Emit(big);

        await Eventually.WaitAsync(() => !b.Local.Received.IsEmpty, "the 60 KiB batch to reach B's kernel");
        Assert.Equal(big, Assert.Single(b.Local.Received));
        Assert.Equal(61_440, b.Stats.NetReceivedBytes);

        // Counted once the local side returned, which is after it saw the batch.
        await Eventually.WaitAsync(() => b.Stats.LocalDeliveredSessions == 1536, "the 1536 sessions counted as delivered");
    }

    [Fact]
    public async Task The_largest_container_an_IPv4_datagram_can_hold_arrives_whole()
    {
        var (a, b) = await UnicastNode.StartPairAsync();
        await using var _ = a;
        await using var __ = b;

        // 65507 bytes is the IPv4 UDP limit; 1637 entries are the most that fit.
        byte[] largest = TestSessions.Unique(65_507 / SessionContainer.EntrySize);
        Assert.Equal(65_480, largest.Length);

        a.Local.Emit(largest);

        await Eventually.WaitAsync(() => !b.Local.Received.IsEmpty, "the largest batch to reach B's kernel");
        Assert.Equal(largest, Assert.Single(b.Local.Received));
    }

    [Fact]
    public async Task A_datagram_from_an_address_that_is_no_peer_is_dropped_before_the_relay()
    {
        var (a, b) = await UnicastNode.StartPairAsync();
        await using var _ = a;
        await using var __ = b;
        var stranger = IPAddress.Parse("127.0.0.2");

        await SendFromAsync(stranger, b.EndPoint, TestSessions.Unique(3));

        await Eventually.WaitAsync(() => b.Transport.UnknownSenderDrops == 1, "B to drop the stranger's datagram");
        Assert.Empty(b.Local.Received);
        Assert.Equal(0, b.Stats.NetReceivedPackets);
        Assert.Equal(0, b.Stats.InvalidPeer);
        string message = Assert.Single(b.Logger.Messages(551));
        Assert.Contains("127.0.0.2:", message, StringComparison.Ordinal);
        Assert.Contains("120-byte", message, StringComparison.Ordinal);

        // The peer still gets through afterwards.
        byte[] batch = TestSessions.Unique(1);
        a.Local.Emit(batch);
        await Eventually.WaitAsync(() => !b.Local.Received.IsEmpty, "A's batch to reach B");
        Assert.Equal(batch, Assert.Single(b.Local.Received));
    }

    [Fact]
    public async Task Garbage_and_empty_datagrams_from_a_peer_address_are_counted_invalid_and_not_delivered()
    {
        var (a, b) = await UnicastNode.StartPairAsync();
        await using var _ = a;
        await using var __ = b;
        byte[] garbage = [1, 2, 3, 4, 5];
        byte[] wrongType = TestSessions.Unique(2);
        wrongType[40 + 2] = 9;

        // From the peer's address but another port: the filter is by address.
        await SendFromAsync(IPAddress.Loopback, b.EndPoint, garbage);
        await SendFromAsync(IPAddress.Loopback, b.EndPoint, []);
        await SendFromAsync(IPAddress.Loopback, b.EndPoint, wrongType);

        await Eventually.WaitAsync(() => b.Logger.Messages(552).Count() == 3, "B to log three invalid datagrams");
        Assert.Equal(3, b.Stats.InvalidPeer);
        Assert.Equal(3, b.Stats.NetReceivedPackets);
        Assert.Equal(garbage.Length + wrongType.Length, b.Stats.NetReceivedBytes);
        Assert.Empty(b.Local.Received);
        Assert.Equal(0, b.Transport.UnknownSenderDrops);
        string[] messages = [.. b.Logger.Messages(552)];
        Assert.Equal(3, messages.Length);
        Assert.Contains("127.0.0.1:", messages[0], StringComparison.Ordinal);
        Assert.Contains(SessionContainer.Validate(garbage).Describe(), messages[0], StringComparison.Ordinal);
        Assert.Contains(SessionContainer.Validate([]).Describe(), messages[1], StringComparison.Ordinal);
        Assert.Contains("entry at byte 40 is not a JNLAL_ENTRY attribute", messages[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dual_stack_listener_accepts_an_IPv4_peer_and_drops_IPv6_strangers()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var node = await UnicastNode.StartAsync("dual", new UnicastSettings(new IPEndPoint(IPAddress.IPv6Any, 0), [(IPEndPoint)peer.LocalEndPoint!], null));
        int port = node.EndPoint.Port;
        byte[] batch = TestSessions.Unique(4);

        await peer.SendToAsync(batch, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, port), Token);
        await Eventually.WaitAsync(() => !node.Local.Received.IsEmpty, "the IPv4 peer's batch to be delivered");
        Assert.Equal(batch, Assert.Single(node.Local.Received));

        await SendFromAsync(IPAddress.IPv6Loopback, new IPEndPoint(IPAddress.IPv6Loopback, port), batch);
        await Eventually.WaitAsync(() => node.Transport.UnknownSenderDrops == 1, "the IPv6 stranger to be dropped");
        Assert.Single(node.Local.Received);

        // And the other way: a local batch reaches the IPv4 peer from the dual-stack socket.
        byte[] outgoing = TestSessions.Unique(2);
        node.Local.Emit(outgoing);
        byte[] buffer = new byte[UnicastTransport.ReceiveBufferLength];
        var received = await peer.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), Token).AsTask().WithTimeout("the batch at the IPv4 peer");
        Assert.Equal(outgoing, buffer.AsSpan(0, received.ReceivedBytes).ToArray());
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, port), received.RemoteEndPoint);
    }

    [Fact]
    public async Task A_dual_stack_listener_reaches_IPv4_peers_even_where_the_system_default_is_IPv6_only()
    {
        var (node, peer) = await IsolatedNetwork.SetUpAsync(
            () =>
            {
                var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                var settings = new UnicastSettings(new IPEndPoint(IPAddress.IPv6Any, 0), [(IPEndPoint)peer.LocalEndPoint!], null);
                return (UnicastNode.StartAsync("dual", settings).GetAwaiter().GetResult(), peer);
            },
            ("net.ipv6.bindv6only", "1"));
        await using var _ = node;
        using var __ = peer;
        byte[] incoming = TestSessions.Unique(3);
        byte[] outgoing = TestSessions.Unique(2);

        await peer.SendToAsync(incoming, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, node.EndPoint.Port), Token);
        node.Local.Emit(outgoing);

        await Eventually.WaitAsync(() => !node.Local.Received.IsEmpty, "the IPv4 peer's batch to be delivered");
        Assert.Equal(incoming, Assert.Single(node.Local.Received));
        byte[] buffer = new byte[UnicastTransport.ReceiveBufferLength];
        int length = await peer.ReceiveAsync(buffer, SocketFlags.None, Token).AsTask().WithTimeout("the batch at the IPv4 peer");
        Assert.Equal(outgoing, buffer.AsSpan(0, length).ToArray());
    }

    [Fact]
    public async Task A_batch_goes_to_every_peer_and_a_failed_send_makes_the_sink_report_failure()
    {
        using var good = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        good.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var goodEndPoint = (IPEndPoint)good.LocalEndPoint!;

        // Linux refuses a broadcast destination without SO_BROADCAST (EACCES): a send that fails for sure.
        var refused = new IPEndPoint(IPAddress.Broadcast, 9);
        var logger = new RecordingLogger<UnicastTransport>();
        await using var transport = new UnicastTransport(new UnicastSettings(new IPEndPoint(IPAddress.Loopback, 0), [refused, goodEndPoint], null), logger);
        await transport.StartAsync(Token);
        byte[] batch = TestSessions.Unique(3);

        bool delivered = await transport.SendAsync(new SessionBatch(batch, SessionSide.Local), Token);

        Assert.False(delivered);
        byte[] buffer = new byte[UnicastTransport.ReceiveBufferLength];
        int length = await good.ReceiveAsync(buffer, SocketFlags.None, Token).AsTask().WithTimeout("the batch at the good peer");
        Assert.Equal(batch, buffer.AsSpan(0, length).ToArray());
        string message = Assert.Single(logger.Messages(554));
        Assert.Contains("255.255.255.255:9", message, StringComparison.Ordinal);

        var single = new UnicastTransport(new UnicastSettings(new IPEndPoint(IPAddress.Loopback, 0), [goodEndPoint], null), logger);
        await using var ___ = single;
        await single.StartAsync(Token);
        Assert.True(await single.SendAsync(new SessionBatch(batch, SessionSide.Local), Token));
    }

    [Fact]
    public async Task A_port_in_use_fails_start_naming_the_endpoint_and_the_reason()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var taken = (IPEndPoint)holder.LocalEndPoint!;
        await using var transport = new UnicastTransport(new UnicastSettings(taken, [new IPEndPoint(IPAddress.Loopback, 9)], null), new RecordingLogger<UnicastTransport>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => transport.StartAsync(Token).AsTask());

        Assert.Equal($"cannot bind the unicast socket to UDP {taken} ('listen'): address already in use", error.Message);
        Assert.Null(transport.LocalEndPoint);
    }

    [Fact]
    public async Task Start_binds_an_ephemeral_port_and_a_second_start_is_harmless()
    {
        await using var transport = new UnicastTransport(
            new UnicastSettings(new IPEndPoint(IPAddress.Loopback, 0), [new IPEndPoint(IPAddress.Loopback, 9)], 1 << 20),
            new RecordingLogger<UnicastTransport>());
        Assert.Null(transport.LocalEndPoint);

        await transport.StartAsync(Token);
        await transport.StartAsync(Token);

        Assert.Equal(IPAddress.Loopback, transport.LocalEndPoint!.Address);
        Assert.NotEqual(0, transport.LocalEndPoint.Port);
        Assert.Equal(SessionSide.Peer, transport.Side);
        Assert.Equal("unicast 127.0.0.1:0 -> 127.0.0.1:9", transport.Name);
    }

    [Fact]
    public async Task Running_before_start_is_refused()
    {
        await using var transport = new UnicastTransport(
            new UnicastSettings(new IPEndPoint(IPAddress.Loopback, 0), [new IPEndPoint(IPAddress.Loopback, 9)], null),
            new RecordingLogger<UnicastTransport>());

        await Assert.ThrowsAsync<InvalidOperationException>(() => transport.RunAsync(new NullWriter(), Token));
    }

    [Fact]
    public async Task The_receive_loop_says_at_its_start_that_loss_goes_unnoticed_and_how_to_resync()
    {
        var logger = new RecordingLogger<UnicastTransport>();
        var transport = new UnicastTransport(
            new UnicastSettings(new IPEndPoint(IPAddress.Loopback, 0), [new IPEndPoint(IPAddress.Loopback, 9)], null),
            logger);
        await transport.StartAsync(Token);
        Assert.Empty(logger.WithId(556));

        var running = transport.RunAsync(new NullWriter(), Token);
        await Eventually.WaitAsync(() => logger.WithId(556).Any(), "the receive loop's first line");
        await transport.DisposeAsync();
        var ended = await Record.ExceptionAsync(() => running.WithTimeout("the receive loop to end"));
        Assert.True(ended is null or OperationCanceledException, $"the loop ended with {ended}");

        var entry = Assert.Single(logger.WithId(556));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, entry.Level);
        Assert.Equal(
            $"Unicast {transport.LocalEndPoint}: receiving peers' batches from now on. C joold's datagrams carry no sequence numbers, so what peers sent before this, or what is lost on the way, is lost unnoticed: to bring this gateway up to date, run `joold advertise` on a peer, or use a transport that resyncs (Tls, Nats).",
            entry.Message);
    }

    private sealed class NullWriter : ISessionBatchWriter
    {
        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken) => ValueTask.FromResult(RelayResult.Accepted);
    }
}
