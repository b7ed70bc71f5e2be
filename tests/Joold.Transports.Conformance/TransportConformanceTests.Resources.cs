using System.Net;
using System.Net.Sockets;
using Joold.Testing;

namespace Joold.Transports.Conformance;

/// <summary>What a transport costs: nothing left after disposal, nothing allocated per batch.</summary>
public abstract partial class TransportConformanceTests
{
    /// <summary>Batches per measured round.</summary>
    private const int RoundSize = 1000;

    /// <summary>
    /// Far below one object per batch (at least 24 bytes each), far above the one-off cost of a round (the wait for
    /// its last batch, a state machine the first time a send waits).
    /// </summary>
    private const long AllowedBytesPerRound = RoundSize * 8;

    [Fact]
    public async Task Disposing_leaves_no_socket_task_timer_or_thread_behind()
    {
        var baseline = ProcessResources.Take();
        var (a, b) = await StartPairAsync();
        await CrossAsync(a, b, ConformanceBatches.Valid(36), "a batch at B");
        await CrossAsync(b, a, ConformanceBatches.Valid(36), "a batch at A");
        Assert.True(ProcessResources.Take().Sockets > baseline.Sockets, "the nodes hold no socket this check could see");

        await a.StopAsync();
        await b.StopAsync();

        Assert.True(a.Run.IsCompleted && b.Run.IsCompleted);
        await ProcessResources.WaitUntilBackToAsync(baseline, "every socket, timer and thread of the nodes to be gone");
    }

    [Fact]
    public async Task Steady_state_allocates_nothing_per_batch()
    {
        var counting = new CountingWriter();
        var a = await StartAsync(NodeName.A);
        var b = await StartAsync(NodeName.B, counting);
        byte[] batch = ConformanceBatches.Valid(36);
        await SendUntilReceivedAsync(a, b, batch, () => counting.Count > 0, "A to reach B");

        // Warm-up: the first rounds allocate what is reused (state machines, socket event args, pooled boxes) and
        // run while the JIT tiers the hot paths up.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long least = long.MaxValue;
        for (int round = 0; clock.Elapsed < TimeSpan.FromSeconds(30) && (round < 3 || least > AllowedBytesPerRound); round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            bool lossless = await RoundAsync(a, counting, batch);
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            if (lossless && round >= 2)
            {
                least = Math.Min(least, allocated);
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{GetType().Name}: {least} bytes allocated for {RoundSize} batches in the best round");
        Assert.True(least <= AllowedBytesPerRound, $"{least} bytes allocated for {RoundSize} batches sent and received in the best round");
    }

    [Fact]
    public async Task The_process_runs_with_the_daemons_socket_settings()
    {
        Assert.Equal("1", Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"));
        Assert.Equal("0", Convert.ToString(AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"), System.Globalization.CultureInfo.InvariantCulture));

        // Inline completions: a receive that waited resumes on the socket engine's thread, not on a pool thread.
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var receiving = ResumedOnPoolThreadAsync(receiver);
        await sender.SendToAsync(new byte[1], SocketFlags.None, receiver.LocalEndPoint!, Token);
        Assert.False(await Deadline.WaitAsync(receiving, "a datagram on loopback"), "the receive resumed on a pool thread");

        static async Task<bool> ResumedOnPoolThreadAsync(Socket socket)
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.None).ConfigureAwait(false);
            return Thread.CurrentThread.IsThreadPoolThread;
        }
    }

    /// <summary>
    /// Sends <see cref="RoundSize"/> batches back to back, one send at a time, and waits for the last to arrive.
    /// False when one was lost (a datagram transport may drop one); such a round is not measured.
    /// </summary>
    private static async Task<bool> RoundAsync(RunningNode from, CountingWriter to, byte[] batch)
    {
        long target = to.Count + RoundSize;
        var arrived = to.ExpectAsync(target);
        for (int i = 0; i < RoundSize; i++)
        {
            await from.Node.Sink.SendAsync(new Relay.SessionBatch(batch, Relay.SessionSide.Local), Token);
        }

        using var timeout = new CancellationTokenSource();
        bool lossless = await Task.WhenAny(arrived, Task.Delay(TimeSpan.FromSeconds(5), timeout.Token)) == arrived;
        await timeout.CancelAsync();
        return lossless;
    }

    /// <summary>Counts batches and completes a task when a count is reached; allocates nothing per batch.</summary>
    private sealed class CountingWriter : Relay.ISessionBatchWriter
    {
        private long _count;
        private long _target = long.MaxValue;
        private TaskCompletionSource? _reached;

        public long Count => Interlocked.Read(ref _count);

        public Task ExpectAsync(long target)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _reached, reached);
            Volatile.Write(ref _target, target);
            if (Count >= target)
            {
                reached.TrySetResult();
            }

            return reached.Task;
        }

        public ValueTask<Relay.RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) >= Volatile.Read(ref _target))
            {
                Volatile.Read(ref _reached)?.TrySetResult();
            }

            return ValueTask.FromResult(Relay.RelayResult.Accepted);
        }
    }
}
