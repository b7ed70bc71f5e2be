using System.Net;
using System.Net.Sockets;
using Joold.Relay;
using Joold.Testing;

namespace Joold.Transports.Conformance;

/// <summary>What a transport costs: nothing left after disposal, nothing allocated per batch.</summary>
public abstract partial class TransportConformanceTests
{
    /// <summary>Batches in flight at most: a lossy transport's receive buffer never overflows in a round.</summary>
    private const int Window = 64;

    /// <summary>How long a window may take before the round is taken as lossy (and not counted).</summary>
    private static readonly TimeSpan WindowTimeout = TimeSpan.FromSeconds(5);

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
        byte[] hello = ConformanceBatches.Valid(1);
        await SendUntilReceivedAsync(a, b, hello, () => counting.Count > 0, "A to reach B");
        var sender = new BlockingSender(a.Node.Sink, new SessionBatch(ConformanceBatches.Valid(36), SessionSide.Local));

        // A → B: A's sink and B's source, whose completions run on the socket engine's threads; so the whole
        // process is counted, and the suite runs alone.
        var measurement = await new AllocationMeter().MeasureProcessAsync(count => RunRound(sender, counting, count));

        TestContext.Current.TestOutputHelper?.WriteLine($"{GetType().Name}: {measurement}");
        Assert.False(measurement.AllocatesPerBatch, measurement.ToString());
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
    /// Sends <paramref name="count"/> batches one send at a time, never more than <see cref="Window"/> unreceived,
    /// and waits until the last arrived. False when one was lost (a datagram transport may drop one on a busy
    /// machine); such a round does not count. Blocks its thread, and allocates nothing.
    /// </summary>
    private static bool RunRound(BlockingSender sender, CountingWriter to, int count)
    {
        long target = to.Count;
        for (int sent = 0; sent < count; sent += Window)
        {
            int window = Math.Min(Window, count - sent);
            for (int i = 0; i < window; i++)
            {
                sender.Send();
            }

            target += window;
            if (!to.WaitFor(target, WindowTimeout))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sends one batch and blocks until the send completed, without allocating when it completes at once.</summary>
    private sealed class BlockingSender
    {
        private readonly ISessionSink _sink;
        private readonly SessionBatch _batch;
        private readonly ManualResetEventSlim _completed = new();
        private readonly Action _signal;

        public BlockingSender(ISessionSink sink, SessionBatch batch)
        {
            _sink = sink;
            _batch = batch;
            _signal = _completed.Set;
        }

        public bool Send()
        {
            // The ValueTask is read once it completed: at once, or by the time the wait below returned.
#pragma warning disable CA2012
            var sending = _sink.SendAsync(_batch, CancellationToken.None);
            if (!sending.IsCompleted)
            {
                _completed.Reset();
                sending.GetAwaiter().UnsafeOnCompleted(_signal);
                _completed.Wait();
            }

            return sending.GetAwaiter().GetResult();
#pragma warning restore CA2012
        }
    }

    /// <summary>Counts batches; a blocked thread waits for a count. Allocates nothing per batch.</summary>
    private sealed class CountingWriter : ISessionBatchWriter
    {
        private readonly ManualResetEventSlim _reached = new();
        private long _count;
        private long _target = long.MaxValue;

        public long Count => Interlocked.Read(ref _count);

        /// <summary>False when <paramref name="target"/> batches have not arrived within <paramref name="timeout"/>.</summary>
        public bool WaitFor(long target, TimeSpan timeout)
        {
            _reached.Reset();
            Volatile.Write(ref _target, target);
            return Count >= target || _reached.Wait(timeout);
        }

        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) >= Volatile.Read(ref _target))
            {
                _reached.Set();
            }

            return ValueTask.FromResult(RelayResult.Accepted);
        }
    }
}
