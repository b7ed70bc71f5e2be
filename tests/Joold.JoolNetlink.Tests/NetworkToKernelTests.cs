using System.Buffers.Binary;
using Joold.FakeKernel;
using Joold.Relay;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>Peer batches become JOOLD_ADD requests, byte-exact (spec 1.6 B), and land in the kernel's DB.</summary>
public sealed class NetworkToKernelTests
{
    [Fact]
    public async Task A_batch_becomes_one_joold_add_with_the_exact_bytes_and_reaches_the_database()
    {
        await using var h = await PluginHarness.StartAsync();
        var sessions = TestSessions.Many(2, tag: 1);
        byte[] container = SessionContainer.Create(sessions);

        bool sent = await h.Channel.SendAsync(new SessionBatch(container, SessionSide.Peer), TestContext.Current.CancellationToken);

        Assert.True(sent);
        await Eventually.WaitAsync(() => h.Fake.GetStats(h.Instance).PktRcvd == 1, "the fake to take the ADD");
        var add = Assert.Single(h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdd));
        byte[] expected = Expected(h, add.Sequence, container);
        Assert.Equal(expected, add.Bytes);
        Assert.Equal(2, h.Fake.GetStats(h.Instance).SssRcvd);
        Assert.Equal(sessions.Select(s => $"{s.Source6}#{s.Source6Port}").Order(), h.Fake.GetDatabase(h.Instance).Select(s => $"{s.Source6}#{s.Source6Port}").Order());
        Assert.Empty(h.Logger.WithId(307));
    }

    [Fact]
    public async Task A_payload_that_is_not_a_multiple_of_four_is_zero_padded_and_nla_len_counts_it_as_is()
    {
        await using var h = await PluginHarness.StartAsync();
        byte[] odd = [1, 2, 3, 4, 5, 6];

        Assert.True(await h.Channel.SendAsync(new SessionBatch(odd, SessionSide.Peer), TestContext.Current.CancellationToken));

        await Eventually.WaitAsync(() => h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdd).Count == 1, "the ADD");
        var add = h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdd)[0];
        Assert.Equal(Expected(h, add.Sequence, odd), add.Bytes);
        Assert.Equal(60, add.Bytes.Length);
        Assert.Equal(10, BinaryPrimitives.ReadUInt16LittleEndian(add.Bytes.AsSpan(48)));
    }

    [Fact]
    public async Task Sequence_numbers_increase_and_concurrent_adds_and_acks_stay_whole()
    {
        await using var h = await PluginHarness.StartAsync();
        var sends = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
            await h.Channel.SendAsync(new SessionBatch(TestSessions.Container(3, tag: 10 + (i % 3)), SessionSide.Peer), CancellationToken.None)));
        h.Fake.Inject(h.Instance, TestSessions.Many(36 * 4, tag: 2));

        bool[] results = await Task.WhenAll(sends);

        Assert.All(results, Assert.True);
        await Eventually.WaitAsync(() => h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdd).Count == 40 && h.AcksReceived == 4, "40 ADDs and 4 ACKs");
        Assert.All(h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdd), m => Assert.Equal(52 + 120, m.Bytes.Length));
        var sequences = h.Fake.Received.Where(m => m.Type == h.Fake.FamilyId).Select(m => m.Sequence).ToList();
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.Empty(h.Logger.WithId(307));
    }

    [Fact]
    public async Task A_refused_add_is_logged_once_and_not_acked()
    {
        await using var h = await PluginHarness.StartAsync(settings: new FakeInstanceSettings { Enabled = false });

        Assert.True(await h.Channel.SendAsync(new SessionBatch(TestSessions.Container(1), SessionSide.Peer), TestContext.Current.CancellationToken));

        await Eventually.WaitAsync(() => h.Logger.WithId(307).Any(), "the error reply to be logged");
        Assert.Contains("Session sync is disabled on this instance.", h.Logger.WithId(307).Single().Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Channel.AcksSent);
    }

    [Fact]
    public async Task Through_a_real_relay_a_peer_batch_reaches_the_kernel_and_a_kernel_batch_reaches_the_peer_sink()
    {
        await using var h = await PluginHarness.StartAsync(run: false);
        var peer = new RecordingPeer();
        var counters = new Stats.JooldCounters();
        await using var relay = new SessionRelay([h.Channel, peer], [h.Channel, peer], counters, new RecordingLogger<SessionRelay>());
        relay.Start();
        await Eventually.WaitAsync(() => peer.Writer is not null, "the relay to run the peer source");
        byte[] fromPeer = TestSessions.Container(2, tag: 20);

        await peer.Writer!.WriteAsync(fromPeer, CancellationToken.None);
        h.Fake.Inject(h.Instance, TestSessions.Many(36, tag: 21));

        await Eventually.WaitAsync(() => h.Fake.GetStats(h.Instance).PktRcvd == 1 && peer.Received.Count == 1 && h.AcksReceived == 1, "both directions");
        Assert.Equal(TestSessions.Container(36, tag: 21), peer.Received[0]);
        var snapshot = counters.GetSnapshot();
        Assert.Equal(1, snapshot.KernelSentPackets);
        Assert.Equal(1, snapshot.LocalDeliveredPackets);
    }

    internal static byte[] Expected(PluginHarness h, uint seq, byte[] payload)
    {
        int padded = (payload.Length + 3) & ~3;
        var expected = new byte[52 + padded];
        KernelToNetworkTests.ExpectedRequest(h, FakeJoolKernel.CmdJooldAdd, seq).CopyTo(expected, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(expected, (uint)expected.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(48), (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(50), 0x8007);
        payload.CopyTo(expected, 52);
        return expected;
    }

    /// <summary>A peer-side source and sink that records what the relay gives it.</summary>
    internal sealed class RecordingPeer : ISessionSource, ISessionSink
    {
        private readonly List<byte[]> _received = [];

        public string Name => "recording peer";

        public SessionSide Side => SessionSide.Peer;

        public ISessionBatchWriter? Writer { get; private set; }

        public ISessionBurstWriter? BurstWriter => Writer as ISessionBurstWriter;

        public IReadOnlyList<byte[]> Received
        {
            get
            {
                lock (_received)
                {
                    return _received.ToList();
                }
            }
        }

        public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
        {
            Writer = writer;
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
        {
            lock (_received)
            {
                _received.Add(batch.Entries.ToArray());
            }

            return ValueTask.FromResult(true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
