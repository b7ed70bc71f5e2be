using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.LoadTest.Tests;

/// <summary>The fake's fixed-rate load (<c>rate</c>) in process: what it releases and what the ACK window holds back.</summary>
public class ScheduledLoadTests
{
    [Fact]
    public async Task Without_an_ACK_only_the_first_batch_leaves_and_the_queue_holds_two_batches_at_most()
    {
        await using var fake = await FakeJoolKernel.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        // 5 slots of 36 sessions at 1,000/s: slot 0 leaves at once; nobody acknowledges it, so slots 1 and 2 wait in
        // the queue and slots 3 and 4 stay unqueued (the load keeps at most two batches queued, as the paced one).
        fake.StartScheduledLoad("default", batches: 5, sessionsPerBatch: 36, batchesPerSecond: 1000);
        await Eventually.WaitAsync(() => fake.LoadRemaining("default") == 2 * 36 && fake.QueueCount("default") == 2 * 36, "the queue to hold two batches");

        var stats = fake.GetStats("default");
        Assert.Equal(1, stats.PktSent);
        Assert.Equal(36, stats.SssSent);
        Assert.Equal(36, fake.Snapshot.Instance("default").Settings.MaxSessionsPerPacket);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_anything_starts()
    {
        await using var fake = await FakeJoolKernel.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Throws<ArgumentOutOfRangeException>(() => fake.StartScheduledLoad("default", 1, 36, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => fake.StartScheduledLoad("default", 1, 0, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => fake.StartScheduledLoad("default", -1, 36, 1000));
        Assert.Equal(0, fake.GetStats("default").PktSent);
    }
}
