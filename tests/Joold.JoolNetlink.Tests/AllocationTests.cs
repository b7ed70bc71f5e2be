using Joold.FakeKernel;
using Joold.Plugins.JoolNetlink;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// The kernel → relay path allocates nothing per batch: receive, validate, forward, ACK. The fake runs as another
/// process so that only the plugin allocates here; the collection runs alone so other tests do not either.
/// </summary>
[Collection(nameof(AllocationTests))]
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTests
{
    [Fact]
    public async Task Forwarding_and_acking_kernel_batches_allocates_nothing_per_batch()
    {
        const int Warmup = 20;
        const int Measured = 200;
        string instance = TestSessions.UniqueInstance("a");
        await using var fake = await FakeKernelProcess.StartAsync(instance: instance, arguments: ["--capacity", "100000"], cancellationToken: TestContext.Current.CancellationToken);
        await using var channel = new JoolNetlinkChannel(new JoolNetlinkOptions { Instance = instance, NetlinkPeer = fake.PortId }, new JooldCounters(), new RecordingLogger<JoolNetlinkChannel>());
        await channel.StartAsync(TestContext.Current.CancellationToken);
        var writer = new CountingWriter(Warmup, Warmup + Measured);
        using var run = new CancellationTokenSource();
        var running = channel.RunAsync(writer, run.Token);

        // Each batch is ACKed before the fake sends the next (window of one): the whole chain runs per batch.
        string command = "inject " + Convert.ToHexString(TestSessions.Container(36 * (Warmup + Measured)));
        await fake.CommandAsync(command, TestContext.Current.CancellationToken);
        await writer.Done.WithTimeout("every batch to be forwarded");

        long perBatch = (writer.AllocatedAtEnd - writer.AllocatedAtStart) / Measured;
        Assert.True(perBatch < 64, $"{perBatch} bytes allocated per batch");
        await Eventually.WaitAsync(() => channel.AcksSent == Warmup + Measured, "an ACK for every batch");
        await run.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Sending_joold_add_allocates_nothing_per_batch()
    {
        string instance = TestSessions.UniqueInstance("a");
        await using var fake = await FakeKernelProcess.StartAsync(instance: instance, cancellationToken: TestContext.Current.CancellationToken);
        await using var channel = new JoolNetlinkChannel(new JoolNetlinkOptions { Instance = instance, NetlinkPeer = fake.PortId }, new JooldCounters(), new RecordingLogger<JoolNetlinkChannel>());
        await channel.StartAsync(TestContext.Current.CancellationToken);
        var batch = new SessionBatch(TestSessions.Container(36), SessionSide.Peer);
        Assert.True(await channel.SendAsync(batch, CancellationToken.None));

        // SendAsync completes synchronously, so the current thread's counter sees all of it.
        long before = GC.GetAllocatedBytesForCurrentThread();
        int delivered = SendSynchronously(channel, batch, 200);
        long perBatch = (GC.GetAllocatedBytesForCurrentThread() - before) / 200;
        Assert.Equal(200, delivered);
        Assert.True(perBatch < 16, $"{perBatch} bytes allocated per JOOLD_ADD");
    }

    private static int SendSynchronously(JoolNetlinkChannel channel, SessionBatch batch, int count)
    {
        int delivered = 0;
        for (int i = 0; i < count; i++)
        {
            var send = channel.SendAsync(batch, CancellationToken.None);
            if (send.IsCompletedSuccessfully && send.Result)
            {
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>Counts batches and reads the process-wide allocation counter at two of them; allocates nothing itself.</summary>
    private sealed class CountingWriter(int start, int end) : ISessionBatchWriter
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public Task Done => _done.Task;

        public long AllocatedAtStart { get; private set; }

        public long AllocatedAtEnd { get; private set; }

        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
        {
            int count = ++_count;
            if (count == start)
            {
                AllocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
            }
            else if (count == end)
            {
                AllocatedAtEnd = GC.GetTotalAllocatedBytes(precise: true);
                _done.TrySetResult();
            }

            return ValueTask.FromResult(RelayResult.Accepted);
        }
    }
}
