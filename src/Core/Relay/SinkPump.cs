using System.Buffers;
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
    private readonly RateLimitedLog _failureLog;
    private readonly RateLimitedLog _dropLog;
    private volatile bool _closed;

    public SinkPump(ISessionSink sink, int capacity, JooldCounters counters, ILogger logger, TimeProvider time)
    {
        Sink = sink;
        _counters = counters;
        _logger = logger;
        _failureLog = new RateLimitedLog(time: time);
        _dropLog = new RateLimitedLog(time: time);
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
        return EnqueueOwned(buffer, entries.Length, origin, 1);
    }

    /// <summary>Queues <paramref name="buffer"/> (a pooled one, now the queue's) holding <paramref name="batches"/> coalesced batches.</summary>
    public bool EnqueueOwned(byte[] buffer, int length, SessionSide origin, int batches)
    {
        if (_queue.Writer.TryWrite(new Lease(buffer, length, origin, batches)))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        _counters.Drop(batches);

        if (_dropLog.TryEnter(out long suppressed))
        {
            // A write that fails after the stop closed the queue is no sign of a slow sink.
            if (_closed)
            {
                RelayLog.SinkStopping(_logger, Sink.Name, suppressed);
            }
            else
            {
                RelayLog.SinkQueueFull(_logger, Sink.Name, suppressed);
            }
        }

        return false;
    }

    /// <summary>No more batches will come; the loop ends once the queue is empty.</summary>
    public void Complete()
    {
        _closed = true;
        _queue.Writer.TryComplete();
    }

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
                    _counters.Drop(lease.Batches);

                    continue;
                }

                // The send is awaited here, not in a helper: this loop's state machine is boxed once, while an async
                // helper's box would be rented per batch that completes later, and a pooled box rented on the
                // writer's thread and returned on the completing one misses its per-thread cache (136 bytes a batch).
                bool delivered = false;
                try
                {
                    delivered = await Sink.SendAsync(new SessionBatch(lease.Buffer.AsMemory(0, lease.Length), lease.Origin), abort).ConfigureAwait(false);
                    if (!delivered)
                    {
                        LogRefused();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException || !abort.IsCancellationRequested)
                {
                    LogThrew(e);
                }
                catch (OperationCanceledException)
                {
                    // Hard stop: the batch is lost and counted below.
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(lease.Buffer);
                }

                Count(lease, delivered);
            }
        }
    }

    private void LogRefused()
    {
        if (_failureLog.TryEnter(out long suppressed))
        {
            RelayLog.SinkRefused(_logger, Sink.Name, suppressed);
        }
    }

    private void LogThrew(Exception e)
    {
        if (_failureLog.TryEnter(out long suppressed))
        {
            RelayLog.SinkThrew(_logger, e, Sink.Name, suppressed);
        }
    }

    private void Count(Lease lease, bool delivered)
    {
        if (!delivered)
        {
            _counters.SinkFailure(lease.Batches);
        }
        else if (Sink.Side == SessionSide.Peer)
        {
            _counters.NetSent(lease.Length);
        }
        else
        {
            // A coalesced lease counts each of its batches.
            _counters.LocalDelivered(lease.Length, lease.Length / Sessions.SessionContainer.EntrySize, lease.Batches);
        }
    }

    /// <summary>A queued batch: <see cref="Batches"/> is above 1 when a burst was coalesced into it.</summary>
    private readonly record struct Lease(byte[] Buffer, int Length, SessionSide Origin, int Batches);
}
