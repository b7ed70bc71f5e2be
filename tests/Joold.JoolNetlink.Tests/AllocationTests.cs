using Joold.FakeKernel;
using Joold.Plugins.JoolNetlink;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// The netlink path allocates nothing per batch in steady state: kernel to relay (receive, inspect, forward, ACK)
/// and relay to kernel (JOOLD_ADD). Measured with <see cref="AllocationMeter"/>, which warms up past tiered
/// compilation and judges the median of several rounds, so a one-off cost on a busy machine does not fail it while
/// anything per batch does. The collection runs alone, for the process-wide count.
/// </summary>
[Collection(nameof(AllocationTests))]
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTests
{
    private static readonly TimeSpan RoundDeadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Forwarding_and_acking_kernel_batches_allocates_nothing_per_batch()
    {
        // The fake runs as another process, so only the plugin allocates here. The receive path hops threads
        // (socket completions), so the whole process is counted.
        string instance = TestSessions.UniqueInstance("a");
        await using var fake = await FakeKernelProcess.StartAsync(instance: instance, cancellationToken: TestContext.Current.CancellationToken);
        await using var channel = new JoolNetlinkChannel(new JoolNetlinkOptions { Instance = instance, NetlinkPeer = fake.PortId }, new JooldCounters(), new RecordingLogger<JoolNetlinkChannel>());
        await channel.StartAsync(TestContext.Current.CancellationToken);
        var writer = new CountingWriter();
        using var run = new CancellationTokenSource();
        var running = channel.RunAsync(writer, run.Token);

        // Full batches as fast as the ACKs allow (window of one): each round runs the whole chain per batch.
        await fake.CommandAsync("record off", TestContext.Current.CancellationToken);
        await fake.CommandAsync("load 100000000 36", TestContext.Current.CancellationToken);
        var meter = new AllocationMeter { BatchesPerRound = 1024 };
        var measurement = await meter.MeasureProcessAsync(count => writer.WaitForMore(count, RoundDeadline));

        Assert.False(measurement.AllocatesPerBatch, measurement.ToString());
        Assert.InRange(channel.AcksSent, writer.Count - 1, writer.Count + 1);
        await run.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Sending_joold_add_allocates_nothing_per_batch()
    {
        // SendAsync completes synchronously while the peer has room, so the meter's own thread sees all of it.
        await using var h = await PluginHarness.StartAsync();
        h.Fake.Recording = false;
        var batch = new SessionBatch(TestSessions.Container(36), SessionSide.Peer);
        await using var taken = new FakeProgress(() => h.Fake.GetStats(h.Instance).PktRcvd);
        long sent = 0;

        var measurement = await new AllocationMeter { BatchesPerRound = 256 }.MeasureThreadAsync(count =>
        {
            bool allAtOnce = true;
            for (int i = 0; i < count; i++)
            {
                var send = h.Channel.SendAsync(batch, CancellationToken.None);
                allAtOnce &= send.IsCompletedSuccessfully && send.Result;
            }

            // Paced: the next round starts once the fake has taken this one, so its queue never fills.
            sent += count;
            return taken.WaitFor(sent, RoundDeadline) && allAtOnce;
        });

        Assert.False(measurement.AllocatesPerBatch, measurement.ToString());
        Assert.Equal(0, h.Channel.SendsAbandoned);
    }

    /// <summary>Counts batches without allocating; the meter's thread waits on the count.</summary>
    private sealed class CountingWriter : ISessionBatchWriter
    {
        private long _count;

        public long Count => Volatile.Read(ref _count);

        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(RelayResult.Accepted);
        }

        /// <summary>Blocks the meter's own thread, allocation-free, until <paramref name="more"/> batches arrived; false at the deadline.</summary>
        public bool WaitForMore(int more, TimeSpan deadline)
        {
            long target = Count + more;
            long giveUp = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
            while (Count < target)
            {
                if (Environment.TickCount64 > giveUp)
                {
                    return false;
                }

                Thread.Sleep(1);
            }

            return true;
        }
    }

    /// <summary>
    /// Follows a progress figure that costs allocations to read (the fake's stats) on the thread pool, so that the
    /// meter's thread can wait on it without allocating.
    /// </summary>
    private sealed class FakeProgress : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _polling;
        private long _seen;

        public FakeProgress(Func<long> read)
        {
            _polling = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    Volatile.Write(ref _seen, read());
                    await Task.Delay(1, CancellationToken.None);
                }
            });
        }

        public bool WaitFor(long target, TimeSpan deadline)
        {
            long giveUp = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
            while (Volatile.Read(ref _seen) < target)
            {
                if (Environment.TickCount64 > giveUp)
                {
                    return false;
                }

                Thread.Sleep(1);
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _polling;
            _stop.Dispose();
        }
    }
}
