using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Joold.Diagnostics;
using Joold.Stats;
using Microsoft.Extensions.Logging;

namespace Joold.Relay;

/// <summary>
/// One sink's bounded queue and the loop that empties it. Batches are copied into pooled buffers when queued and
/// the buffers go back to the pool once the sink is done, so steady traffic allocates nothing.
/// </summary>
internal sealed class SinkPump
{
    private readonly Channel<Lease> _queue;
    private readonly JooldCounters _counters;
    private readonly ILogger _logger;
    private readonly RateLimitedLog _failureLog = new();
    private readonly RateLimitedLog _dropLog = new();

    public SinkPump(ISessionSink sink, int capacity, JooldCounters counters, ILogger logger)
    {
        Sink = sink;
        _counters = counters;
        _logger = logger;
        _queue = Channel.CreateBounded<Lease>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,

            // An idle pump resumes on the writer's thread: the batch goes out from the source's receive loop
            // instead of waking another thread for every batch (measured: fewer context switches, less CPU).
            // Sinks must not block (they are sockets); a busy pump still drains on its own thread.
            AllowSynchronousContinuations = true,
        });
    }

    public ISessionSink Sink { get; }

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Batches waiting in the queue now (for the queue-depth metric).</summary>
    public int Depth => _queue.Reader.Count;

    public void Start(CancellationToken abort) => Completion = Task.Run(() => PumpAsync(abort), CancellationToken.None);

    /// <summary>Queues a copy of <paramref name="entries"/>; false (and counted) when the queue is full or closed.</summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> entries, SessionSide origin)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(entries.Length, 1));
        entries.Span.CopyTo(buffer);
        if (_queue.Writer.TryWrite(new Lease(buffer, entries.Length, origin)))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        _counters.Drop();
        if (_dropLog.TryEnter(out long suppressed))
        {
            RelayLog.SinkQueueFull(_logger, Sink.Name, suppressed);
        }

        return false;
    }

    /// <summary>No more batches will come; the loop ends once the queue is empty.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task PumpAsync(CancellationToken abort)
    {
        var reader = _queue.Reader;

        // No token on the wait: the bounded channel reuses one awaiter when the wait cannot be cancelled.
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var lease))
            {
                if (abort.IsCancellationRequested)
                {
                    ArrayPool<byte>.Shared.Return(lease.Buffer);
                    _counters.Drop();
                    continue;
                }

                await SendAsync(lease, abort).ConfigureAwait(false);
            }
        }
    }

    // Pooled: a sink that completes later (a socket send that waits) would otherwise cost a state machine box per batch.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(Lease lease, CancellationToken abort)
    {
        bool delivered = false;
        try
        {
            delivered = await Sink.SendAsync(new SessionBatch(lease.Buffer.AsMemory(0, lease.Length), lease.Origin), abort).ConfigureAwait(false);
            if (!delivered && _failureLog.TryEnter(out long suppressed))
            {
                RelayLog.SinkRefused(_logger, Sink.Name, suppressed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !abort.IsCancellationRequested)
        {
            if (_failureLog.TryEnter(out long suppressed))
            {
                RelayLog.SinkThrew(_logger, e, Sink.Name, suppressed);
            }
        }
        catch (OperationCanceledException)
        {
            // Hard stop: the batch is lost and counted below.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(lease.Buffer);
        }

        if (!delivered)
        {
            _counters.SinkFailure();
        }
        else if (Sink.Side == SessionSide.Peer)
        {
            _counters.NetSent(lease.Length);
        }
        else
        {
            _counters.LocalDelivered(lease.Length, lease.Length / Sessions.SessionContainer.EntrySize);
        }
    }

    private readonly record struct Lease(byte[] Buffer, int Length, SessionSide Origin);
}
