using System.Buffers.Binary;
using System.Text;
using Joold.FakeKernel;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>Kernel multicasts reach the writer unchanged and are ACKed once, byte-exact (spec 5.5, 1.6 C).</summary>
public sealed class KernelToNetworkTests
{
    [Fact]
    public async Task A_full_batch_is_forwarded_unchanged_then_acked_once_with_the_exact_bytes()
    {
        await using var h = await PluginHarness.StartAsync();
        var sessions = TestSessions.Many(36);

        h.Fake.Inject(h.Instance, sessions);

        await Eventually.WaitAsync(() => h.AcksReceived == 1, "one JOOLD_ACK at the fake");
        Assert.Equal(SessionContainer.Create(sessions), Assert.Single(h.Writer.Batches));
        var ack = Assert.Single(h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAck));
        Assert.Equal(ExpectedRequest(h, FakeJoolKernel.CmdJooldAck, ack.Sequence), ack.Bytes);
        Assert.Equal(h.Channel.PortId, ack.SenderPortId);
        Assert.Equal(1, h.Fake.GetStats(h.Instance).Acks);
    }

    [Fact]
    public async Task The_worked_example_arrives_as_the_spec_prints_it()
    {
        await using var h = await PluginHarness.StartAsync(settings: new FakeInstanceSettings { MaxSessionsPerPacket = 1 });

        h.Fake.Inject(h.Instance, [TestSessions.Example]);

        await Eventually.WaitAsync(() => h.Writer.Batches.Count == 1, "the batch");
        Assert.Equal(TestSessions.ExampleEntryBytes, h.Writer.Batches[0]);
    }

    [Fact]
    public async Task The_ack_is_sent_only_after_the_writer_returned()
    {
        await using var h = await PluginHarness.StartAsync();
        h.Writer.Hold();

        h.Fake.Inject(h.Instance, TestSessions.Many(36));
        await Eventually.WaitAsync(() => h.Writer.Entered == 1, "the writer to be called");

        Assert.Equal(0, h.Channel.AcksSent);
        Assert.Equal(0, h.AcksReceived);
        h.Writer.Release();
        await Eventually.WaitAsync(() => h.AcksReceived == 1 && h.Channel.AcksSent == 1, "the ACK once the writer returned");
    }

    [Fact]
    public async Task Each_ack_releases_the_next_batch_and_each_batch_gets_exactly_one_ack()
    {
        await using var h = await PluginHarness.StartAsync();

        h.Fake.Inject(h.Instance, TestSessions.Many(36 * 3));

        await Eventually.WaitAsync(() => h.Writer.Batches.Count == 3 && h.AcksReceived == 3, "three batches and three ACKs");
        Assert.Equal(SessionContainer.Create(TestSessions.Many(36 * 3)), h.Writer.Batches.SelectMany(b => b).ToArray());
        Assert.Equal(0, h.Fake.QueueCount(h.Instance));
        var stats = h.Fake.GetStats(h.Instance);
        Assert.Equal(3, stats.PktSent);
        Assert.Equal(3, stats.Acks);
        var seqs = h.Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAck).Select(a => a.Sequence).ToList();
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
    }

    [Fact]
    public async Task Batches_that_arrive_before_the_relay_runs_are_forwarded_and_acked_once_it_does()
    {
        await using var h = await PluginHarness.StartAsync(run: false);
        var early = TestSessions.Container(2, tag: 1);

        h.Fake.MulticastSessions(h.Instance, early);
        await Eventually.WaitAsync(() => h.Fake.MulticastsSent == 1, "the early multicast to leave");
        h.Run();

        await Eventually.WaitAsync(() => h.Writer.Contains(early) && h.AcksReceived == 1, "the early batch forwarded and ACKed");
    }

    [Fact]
    public async Task Before_the_relay_runs_at_most_64_batches_are_held_and_the_rest_is_counted_as_overrun()
    {
        await using var h = await PluginHarness.StartAsync(run: false);
        for (int i = 0; i < 70; i++)
        {
            h.Fake.MulticastSessions(h.Instance, TestSessions.Container(1, tag: 200 + i));
        }

        await Eventually.WaitAsync(() => h.Counters.GetSnapshot().Overruns == 6, "the six batches beyond the stash to be counted");
        h.Run();

        await Eventually.WaitAsync(() => h.Writer.Batches.Count == 64 && h.Channel.AcksSent == 64, "the 64 held batches forwarded and ACKed");
        Assert.Equal(TestSessions.Container(1, tag: 200), h.Writer.Batches[0]);
        Assert.Single(h.Logger.WithId(314));
    }

    [Fact]
    public async Task Sessions_of_other_instances_are_neither_forwarded_nor_acked()
    {
        string other = TestSessions.UniqueInstance("o");
        await using var h = await PluginHarness.StartAsync(otherInstances: [other]);

        h.Fake.MulticastSessions(other, TestSessions.Container(3, tag: 2));
        await h.SentinelAsync();

        Assert.Single(h.Writer.Batches);
        Assert.Equal(1, h.Channel.AcksSent);
        Assert.Empty(h.Logger.WithId(308));
    }

    [Fact]
    public async Task A_case_only_instance_mismatch_is_ignored_with_a_warning_that_says_what_to_fix()
    {
        string instance = TestSessions.UniqueInstance("c");
        string upper = instance.ToUpperInvariant();
        await using var h = await PluginHarness.StartAsync(instance: instance, otherInstances: [upper]);

        h.Fake.MulticastSessions(upper, TestSessions.Container(3, tag: 3));
        await h.SentinelAsync();

        Assert.Single(h.Writer.Batches);
        Assert.Equal(1, h.Channel.AcksSent);
        var warning = Assert.Single(h.Logger.WithId(308));
        Assert.Contains($"'{upper}'", warning.Message, StringComparison.Ordinal);
        Assert.Contains($"'{instance}'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("case", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_instance_name_is_read_as_a_c_string_ignoring_bytes_after_the_nul()
    {
        await using var h = await PluginHarness.StartAsync();
        var buffer = new byte[16];
        Encoding.ASCII.GetBytes(h.Instance, buffer);
        buffer.AsSpan(h.Instance.Length + 1).Fill(0xAA);
        h.Fake.SetNameBuffer(h.Instance, buffer);
        var container = TestSessions.Container(2, tag: 4);

        h.Fake.MulticastSessions(h.Instance, container);

        await Eventually.WaitAsync(() => h.Writer.Contains(container) && h.AcksReceived == 1, "the batch forwarded and ACKed");
    }

    [Fact]
    public async Task Invalid_entries_reach_the_relay_which_rejects_them_and_the_reason_is_logged_and_the_batch_acked()
    {
        await using var h = await PluginHarness.StartAsync();
        var container = TestSessions.Container(2, tag: 5);
        container[40 + 4 + 35] = 0x60; // second entry: protocol 3

        h.Fake.MulticastSessions(h.Instance, container);
        await h.SentinelAsync();

        Assert.True(h.Writer.Contains(container));
        Assert.Equal(2, h.Channel.AcksSent);
        var log = Assert.Single(h.Logger.WithId(309));
        Assert.Contains("entry at byte 40 has protocol 3", log.Message, StringComparison.Ordinal);
    }

    /// <summary>The 48-byte request joold sends (spec 1.6 C), written out field by field.</summary>
    internal static byte[] ExpectedRequest(PluginHarness h, byte cmd, uint seq)
    {
        var expected = new byte[48];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, 48);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(4), h.Fake.FamilyId);
        BinaryPrimitives.WriteUInt16LittleEndian(expected.AsSpan(6), 0x0001);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(expected.AsSpan(12), h.Channel.PortId);
        expected[16] = cmd;
        expected[17] = 1;
        "jool"u8.CopyTo(expected.AsSpan(20));
        new byte[] { 0x04, 0x01, 0x0F, 0x00, 0x02, 0x00, 0x00, 0x00 }.CopyTo(expected.AsSpan(24));
        Encoding.ASCII.GetBytes(h.Instance).CopyTo(expected.AsSpan(32));
        return expected;
    }
}
