using Joold.FakeKernel;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>The fake's published snapshot: every one is a single moment, and it is out before what it caused.</summary>
public sealed class FakeKernelSnapshotTests
{
    [Fact]
    public async Task Every_snapshot_read_during_a_paced_load_is_consistent_and_already_shows_each_batch_received()
    {
        const int Batches = 200;
        const int PerBatch = 36;
        await using var fake = await FakeKernelTests.StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake);
        long lastVersion = 0;

        fake.StartLoad("i", Batches, PerBatch);
        for (int received = 1; received <= Batches; received++)
        {
            await client.ReceiveAsync();
            var afterMulticast = fake.Snapshot;
            Assert.True(afterMulticast.Instance("i").Stats.PktSent >= received, $"batch {received} arrived before the snapshot that sent it");
            Check(afterMulticast);

            client.Send(FakeJoolKernel.CmdJooldAck, "i");
            Check(fake.Snapshot); // read while the fake may be handling that ACK on its own thread
        }

        await client.AssertNoReplyPendingAsync("i");
        var done = fake.Snapshot;
        Check(done);
        var instance = done.Instance("i");
        Assert.Equal(Batches, instance.Stats.PktSent);
        Assert.Equal(Batches, instance.Stats.Acks);
        Assert.Equal(0, instance.LoadRemaining);
        Assert.Equal(0, instance.QueueCount);
        Assert.Equal(0, done.HandlerFaults);

        void Check(FakeKernelSnapshot snapshot)
        {
            var i = snapshot.Instance("i");
            Assert.True(snapshot.Version >= lastVersion, "snapshots are published in order");
            lastVersion = snapshot.Version;

            // Every session generated is still to be queued, queued, or sent (never dropped here: the queue holds
            // two batches at most); every batch sent is a multicast; every ACK counted was recorded with it.
            Assert.Equal((long)Batches * PerBatch, i.LoadRemaining + i.QueueCount + i.Stats.SssSent);
            Assert.Equal(i.Stats.SssQueued, i.QueueCount + i.Stats.SssSent);
            Assert.Equal(i.Stats.PktSent * PerBatch, i.Stats.SssSent);
            Assert.Equal(i.Stats.PktSent, snapshot.MulticastsSent);
            Assert.Equal(i.Stats.Acks, snapshot.ReceivedCommand(fake.FamilyId, FakeJoolKernel.CmdJooldAck).Count);
        }
    }

    [Fact]
    public async Task Test_knobs_are_part_of_the_snapshot_and_a_snapshot_never_changes()
    {
        await using var fake = await FakeKernelTests.StartAsync(new FakeTimeProvider(), "i");
        var before = fake.Snapshot;

        fake.AckMode = AckMode.Drop;
        fake.ForcedError = (1, "Operation not permitted.");
        fake.Recording = false;
        fake.Ignore(FakeJoolKernel.CmdJooldAdvertise);
        fake.Inject("i", TestSessions.Many(3));
        var after = fake.Snapshot;

        Assert.Equal(AckMode.Accept, before.AckMode);
        Assert.Null(before.ForcedError);
        Assert.True(before.Recording);
        Assert.Empty(before.IgnoredCommands);
        Assert.Equal(0, before.Instance("i").SessionCount);
        Assert.Equal(AckMode.Drop, after.AckMode);
        Assert.Equal((1, "Operation not permitted."), after.ForcedError);
        Assert.False(after.Recording);
        Assert.Equal([FakeJoolKernel.CmdJooldAdvertise], after.IgnoredCommands);
        Assert.Equal(3, after.Instance("i").SessionCount);
        Assert.Equal(3, after.Instance("i").QueueCount);
        Assert.True(after.Version > before.Version);
        Assert.Throws<ArgumentException>(() => after.Instance("nope"));
    }
}
