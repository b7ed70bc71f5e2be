using System.Buffers.Binary;
using Joold.FakeKernel;
using Joold.Relay;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Peer batches that queued up (a burst) reach the kernel as one JOOLD_ADD: one container holding every entry of
/// every batch, byte for byte and in order, which Jool walks entry by entry (spec 4.6).
/// </summary>
public sealed class CoalescedAddTests
{
    [Fact]
    public async Task A_burst_becomes_one_add_whose_container_is_the_batches_in_order_and_every_session_arrives_once()
    {
        await using var h = await PluginHarness.StartAsync(run: false);
        var counters = new Stats.JooldCounters();
        var (relay, writer) = await StartRelayAsync(h, counters);
        await using var _ = relay;
        byte[][] batches = [TestSessions.Container(36, tag: 31), TestSessions.Container(1, tag: 32), TestSessions.Container(36, tag: 33)];

        for (int i = 0; i < batches.Length; i++)
        {
            await writer.WriteAsync(batches[i], moreFollow: i < batches.Length - 1, CancellationToken.None);
        }

        await Eventually.WaitAsync(() => h.Fake.GetStats(h.Instance).SssRcvd == 73, "the sessions in kernel B");
        var add = Assert.Single(h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdd));
        byte[] all = [.. batches[0], .. batches[1], .. batches[2]];
        Assert.Equal(NetworkToKernelTests.Expected(h, add.Sequence, all), add.Bytes);
        Assert.Equal(1, h.Fake.GetStats(h.Instance).PktRcvd);
        Assert.Equal(3, counters.GetSnapshot().LocalDeliveredPackets);
        Assert.Empty(h.Logger.WithId(307));
    }

    [Fact]
    public async Task A_burst_longer_than_one_add_takes_is_split_between_batches_and_no_add_passes_the_limit()
    {
        await using var h = await PluginHarness.StartAsync(run: false);
        var counters = new Stats.JooldCounters();
        var (relay, writer) = await StartRelayAsync(h, counters);
        await using var _ = relay;
        int perAdd = h.Channel.MaxCoalescedLength / 1440; // whole 36-session batches one ADD takes
        int count = (2 * perAdd) + 1;

        for (int i = 0; i < count; i++)
        {
            await writer.WriteAsync(TestSessions.Container(36, tag: 100 + i), moreFollow: i < count - 1, CancellationToken.None);
        }

        await Eventually.WaitAsync(() => h.Fake.GetStats(h.Instance).SssRcvd == 36 * count, "every session in kernel B");
        var adds = h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAdd);
        Assert.Equal([perAdd * 1440, perAdd * 1440, 1440], adds.Select(a => BinaryPrimitives.ReadUInt16LittleEndian(a.Bytes.AsSpan(48)) - 4));
        Assert.All(adds, a => Assert.True(a.Bytes.Length <= 52 + h.Channel.MaxCoalescedLength));
        byte[] expected = [.. Enumerable.Range(0, count).SelectMany(i => TestSessions.Container(36, tag: 100 + i))];
        Assert.Equal(expected, adds.SelectMany(a => a.Bytes.Skip(52)).ToArray());
        Assert.Equal(count, counters.GetSnapshot().LocalDeliveredPackets);
    }

    /// <summary>A relay between the plugin's channel and a recording peer; the peer source's writer, which offers bursts.</summary>
    private static async Task<(SessionRelay Relay, ISessionBurstWriter Writer)> StartRelayAsync(PluginHarness h, Stats.JooldCounters counters)
    {
        var peer = new NetworkToKernelTests.RecordingPeer();
        var relay = new SessionRelay([h.Channel, peer], [h.Channel, peer], counters, new RecordingLogger<SessionRelay>());
        try
        {
            relay.Start();
            await Eventually.WaitAsync(() => peer.Writer is not null, "the relay to run the peer source");
            return (relay, Assert.IsAssignableFrom<ISessionBurstWriter>(peer.Writer));
        }
        catch
        {
            await relay.DisposeAsync();
            throw;
        }
    }
}
