using System.Net;
using System.Net.Sockets;
using Joold.Plugins.Tls;
using Joold.Plugins.Tls.Protocol;
using Joold.Relay;
using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests;

/// <summary>The transport in this process: its component rules, and the protocol seen from a hand-made peer.</summary>
public sealed class TransportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_component_rules_hold()
    {
        using var pki = new TestPki();
        var node = pki.Issue("node");
        var settings = TlsSettings.FromOptions(new TlsOptions { Listen = "127.0.0.1:0", Certificate = node.CertificateFile, Key = node.KeyFile, Ca = node.CaFile }, "/test/tls.json");
        var transport = new TlsTransport(settings, new RecordingLogger<TlsTransport>());
        var batch = new SessionBatch(TestSessions.Unique(1), SessionSide.Local);
        var writer = new RecordingWriter();

        Assert.False(await transport.SendAsync(batch, Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => transport.RunAsync(writer, Token));
        await transport.StartAsync(Token);
        Assert.True(IsCompleted(transport.StartAsync(Token)));
        Assert.NotEqual(0, transport.LocalEndPoint!.Port);
        var run = transport.RunAsync(writer, CancellationToken.None);
        Assert.False(run.IsCompleted);
        Assert.True(await transport.SendAsync(batch, Token));
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            Assert.False(await transport.SendAsync(batch, cancelled.Token));
        }

        await transport.DisposeAsync();
        await run.WithTimeout("RunAsync to end with the dispose");
        Assert.False(await transport.SendAsync(batch, Token));
        await transport.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => transport.StartAsync(Token).AsTask());
    }

    [Fact]
    public async Task A_start_that_fails_owns_nothing_and_can_be_retried()
    {
        using var pki = new TestPki();
        var node = pki.Issue("node");
        var blocker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blocker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        blocker.Listen(1);
        int port = ((IPEndPoint)blocker.LocalEndPoint!).Port;
        var settings = TlsSettings.FromOptions(new TlsOptions { Listen = $"127.0.0.1:{port}", Certificate = node.CertificateFile, Key = node.KeyFile, Ca = node.CaFile }, "/test/tls.json");
        await using var transport = new TlsTransport(settings, new RecordingLogger<TlsTransport>());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => transport.StartAsync(Token).AsTask());
        Assert.Equal($"cannot listen on TCP 127.0.0.1:{port} ('listen'): address already in use", error.Message);
        Assert.False(await transport.SendAsync(new SessionBatch(TestSessions.Unique(1), SessionSide.Local), Token));

        blocker.Dispose();
        await transport.StartAsync(Token);
        Assert.Equal(port, transport.LocalEndPoint!.Port);
    }

    public enum Violation
    {
        Garbage,
        Oversized,
        SecondHello,
        AcknowledgesTheFuture,
    }

    [Theory]
    [InlineData(Violation.Garbage, "it sent a malformed frame (BadMagic)")]
    [InlineData(Violation.Oversized, "it sent a malformed frame (Oversized)")]
    [InlineData(Violation.SecondHello, "it sent a second HELLO")]
    [InlineData(Violation.AcknowledgesTheFuture, "it acknowledged batch 99, which was never sent")]
    public async Task A_protocol_violation_closes_that_connection_only(Violation violation, string problem)
    {
        using var pki = new TestPki();
        await using var node = await TlsNode.StartAsync(pki.Issue("node"));
        await using var good = await TlsNode.StartAsync(pki.Issue("good"), listen: null, peers: [node.Address]);
        await node.WaitConnectedAsync();

        await using var bad = await RawPeer.DialAsync(node.Transport.LocalEndPoint!, RawPeer.Load(pki.Issue("bad")));
        await bad.SendFrameAsync(b => FrameCodec.WriteHello(b, 0xBAD));
        await bad.SendFrameAsync(violation switch
        {
            Violation.Garbage => b => Fill(b, "XX-not-a-frame"),
            Violation.Oversized => b => Fill(b, "JT\u0001\u0002\u00ff\u00ff\u00ff\u00ff"),
            Violation.SecondHello => b => FrameCodec.WriteHello(b, 0xBAD),
            _ => b => FrameCodec.WriteAck(b, 99),
        });
        Assert.True(await bad.ClosedByOtherSideAsync(TimeSpan.FromSeconds(10)), "the node must close the connection");
        Assert.Equal(1, node.Transport.MalformedFrames);
        Assert.Contains(node.Logger.Messages(611), m => m.StartsWith("Tls peer CN=bad (127.0.0.1:", StringComparison.Ordinal) && m.Contains($"{problem}; connection closed", StringComparison.Ordinal));

        // The good peer's connection is untouched.
        byte[] batch = TestSessions.Unique(5);
        Assert.True(good.Send(batch));
        await Eventually.WaitAsync(() => node.Received.Count == 1, "the good peer's batch");
        Assert.Equal(batch, node.Received.Batches[0]);
        Assert.True(node.Transport.Peers.Single(p => p.Name == "CN=good").Connected);
    }

    [Fact]
    public async Task A_first_frame_that_is_not_HELLO_is_refused()
    {
        using var pki = new TestPki();
        await using var node = await TlsNode.StartAsync(pki.Issue("node"));
        await using var bad = await RawPeer.DialAsync(node.Transport.LocalEndPoint!, RawPeer.Load(pki.Issue("bad")));
        await bad.SendFrameAsync(b => FrameCodec.WriteBatch(b, 1, TestSessions.Unique(1)));
        Assert.True(await bad.ClosedByOtherSideAsync(TimeSpan.FromSeconds(10)));
        await Eventually.WaitAsync(() => node.Transport.Refusals == 1, "the refusal");
        Assert.Contains("no valid HELLO after the handshake: its first frame is Batch, not HELLO", Assert.Single(node.Logger.Messages(610)), StringComparison.Ordinal);
        Assert.Equal(0, node.Received.Count);
    }

    [Fact]
    public async Task Resent_batches_are_dropped_per_sender_incarnation_and_a_new_incarnation_starts_again()
    {
        using var pki = new TestPki();
        await using var node = await TlsNode.StartAsync(pki.Issue("node"));
        var certificate = RawPeer.Load(pki.Issue("sender"));
        var batches = Enumerable.Range(0, 6).Select(_ => TestSessions.Unique(1)).ToArray();

        async Task<List<(FrameType Type, ulong Number, byte[] Container)>> SendAsync(ulong incarnation, params ulong[] sequences)
        {
            await using var sender = await RawPeer.DialAsync(node.Transport.LocalEndPoint!, certificate);
            await sender.SendFrameAsync(b => FrameCodec.WriteHello(b, incarnation));
            foreach (ulong sequence in sequences)
            {
                await sender.SendFrameAsync(b => FrameCodec.WriteBatch(b, sequence, batches[sequence - 1]));
            }

            return await sender.ReadFramesAsync(f => f.Any(x => x.Type == FrameType.Ack && x.Number == sequences.Max()));
        }

        await SendAsync(7, 1, 2, 3);
        var again = await SendAsync(7, 2, 3, 4);
        Assert.Equal([batches[0], batches[1], batches[2], batches[3]], node.Received.Batches);
        Assert.Equal(2, node.Transport.Peers.Single().Duplicates);
        Assert.Contains(again, f => f.Type == FrameType.Hello);

        // A restarted sender numbers from 1 again; a gap (its queue overflowed) is accepted and said.
        await SendAsync(8, 1, 3);
        Assert.Equal([batches[0], batches[1], batches[2], batches[3], batches[0], batches[2]], node.Received.Batches);
        Assert.Contains("Tls peer CN=sender skipped 1 batches", Assert.Single(node.Logger.Messages(619)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unacknowledged_batches_are_resent_after_a_reconnect_and_a_full_queue_drops_the_oldest_then_resyncs()
    {
        using var pki = new TestPki();
        var advertiser = new RecordingAdvertiser();
        using var listener = new RawPeer.RawListener(RawPeer.Load(pki.Issue("far")));
        await using var node = await TlsNode.StartAsync(pki.Issue("node"), listen: null, peers: [$"127.0.0.1:{listener.EndPoint.Port}"], queue: 10, services: advertiser.Services(), resyncInterval: 0.1);
        var sent = Enumerable.Range(0, 30).Select(_ => TestSessions.Unique(1)).ToArray();

        // First connection: the peer joins (one advertisement); 25 batches for a queue of 10, none acknowledged.
        await using (var far = (await listener.AcceptAsync())!)
        {
            await far.SendFrameAsync(b => FrameCodec.WriteHello(b, 42));
            await Eventually.WaitAsync(() => advertiser.Calls == 1, "the join's advertisement");
            // One at a time, each on the wire before the next: a full queue drops its oldest batch, sent or not, so
            // a writer that fell behind would never send some of them.
            for (int i = 0; i < 25; i++)
            {
                Assert.True(node.Send(sent[i]));
                await Eventually.WaitAsync(() => node.Transport.Peers.Single().Sent == i + 1, $"batch {i + 1} on the wire");
            }

            var frames = await far.ReadFramesAsync(f => f.Count(x => x.Type == FrameType.Batch) == 25);
            Assert.Equal(Enumerable.Range(1, 25).Select(i => (ulong)i), frames.Where(f => f.Type == FrameType.Batch).Select(f => f.Number));
            var status = Assert.Single(node.Transport.Peers);
            Assert.Equal((25L, 15L, 10), (status.Sent, status.Dropped, status.Queued));
        }

        // Second connection, same incarnation: the ten still held are sent again, from the oldest, and the peer,
        // which missed batches, is resynced; the ACK empties the queue.
        await using (var far = (await listener.AcceptAsync())!)
        {
            await far.SendFrameAsync(b => FrameCodec.WriteHello(b, 42));
            var frames = await far.ReadFramesAsync(f => f.Count(x => x.Type == FrameType.Batch) == 10);
            var resent = frames.Where(f => f.Type == FrameType.Batch).ToList();
            Assert.Equal(Enumerable.Range(16, 10).Select(i => (ulong)i), resent.Select(f => f.Number));
            Assert.Equal(sent[15..25].Select(Convert.ToHexString), resent.Select(f => Convert.ToHexString(f.Container)));
            await far.SendFrameAsync(b => FrameCodec.WriteAck(b, 25));
            await Eventually.WaitAsync(() => advertiser.Calls == 2 && node.Transport.Peers.Single().Queued == 0, "the ACK, and the advertisement for the batches it missed");
            var status = Assert.Single(node.Transport.Peers);
            Assert.Equal((25L, 10L, 15L, 0), (status.Sent, status.Resent, status.Dropped, status.Queued));
            Assert.Contains(node.Logger.Messages(613), m => m.Contains("missed batches (its queue overflowed)", StringComparison.Ordinal));
        }

        // Third connection, a new incarnation: the peer restarted, another advertisement.
        await using (var far = (await listener.AcceptAsync())!)
        {
            await far.SendFrameAsync(b => FrameCodec.WriteHello(b, 43));
            await Eventually.WaitAsync(() => advertiser.Calls == 3, "the restart's advertisement");
            Assert.Contains(node.Logger.Messages(613), m => m.Contains($"127.0.0.1:{listener.EndPoint.Port} restarted", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task This_node_itself_and_a_second_entry_for_the_same_node_are_dialed_once_and_then_never()
    {
        using var pki = new TestPki();
        await using var far = await TlsNode.StartAsync(pki.Issue("far"));
        int port = far.Transport.LocalEndPoint!.Port;
        await using var node = await TlsNode.StartAsync(pki.Issue("node"), listen: "127.0.0.1:0", peers: [$"127.0.0.1:{port}", $"localhost:{port}"]);
        await Eventually.WaitAsync(() => node.Logger.Messages(617).Any(), "the second entry found out");
        Assert.Contains(": it is the same node as ", Assert.Single(node.Logger.Messages(617)), StringComparison.Ordinal);
        byte[] batch = TestSessions.Unique(2);
        Assert.True(node.Send(batch));
        await Eventually.WaitAsync(() => far.Received.Count == 1, "the batch");
        Assert.Equal(1, far.Received.Count);

        int free = FreeTcpPort();
        await using var self = await TlsNode.StartAsync(pki.Issue("self"), listen: $"127.0.0.1:{free}", peers: [$"127.0.0.1:{free}"]);
        await Eventually.WaitAsync(() => self.Logger.Messages(617).Any(), "the node finding itself");
        Assert.Equal($"Tls peer 127.0.0.1:{free}: it is this node itself; it is not dialed again.", Assert.Single(self.Logger.Messages(617)));
        Assert.True(self.Send(TestSessions.Unique(1)));
        Assert.Equal(0, self.Received.Count);
        Assert.Equal(0, self.Transport.Peers.Single().Queued);
    }

    private static int FreeTcpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static bool IsCompleted(ValueTask task) => task.IsCompletedSuccessfully;

    private static int Fill(byte[] buffer, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            buffer[i] = (byte)text[i];
        }

        return text.Length;
    }
}
