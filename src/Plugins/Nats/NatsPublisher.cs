using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Joold.Configuration;
using Joold.Diagnostics;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Joold.Plugins.Nats;

/// <summary>
/// The publish side: a bounded local buffer that the sink fills without waiting, and one loop that publishes
/// each batch in order, as is, to this gateway's subject and waits for the stream's acknowledgement. A batch that
/// fails (no server, no answer, no stream) is retried with the same message id, so JetStream drops a copy that
/// was stored although its acknowledgement was lost. One batch is in flight at a time: order is kept.
/// </summary>
internal sealed class NatsPublisher
{
    /// <summary>The header JetStream de-duplicates on.</summary>
    private const string MessageIdHeader = "Nats-Msg-Id";

    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    private readonly NatsSettings _settings;
    private readonly INatsConnection _connection;
    private readonly JetStreamSetup _setup;
    private readonly ILogger _logger;
    private readonly Channel<Lease> _buffer;
    private readonly NatsHeaders _headers = new();
    private readonly NatsSubOpts _replyOptions = new() { Timeout = AnswerTimeout, ThrowIfNoResponders = true };
    private readonly RateLimitedLog _failureLog = new();
    private readonly RateLimitedLog _overflowLog = new();
    private readonly string _idPrefix;
    private ulong _sequence;
    private long _published;
    private long _duplicates;
    private long _overflows;
    private long _failures;
    private int _buffered;

    public NatsPublisher(NatsSettings settings, INatsConnection connection, JetStreamSetup setup, ILogger logger)
    {
        _settings = settings;
        _connection = connection;
        _setup = setup;
        _logger = logger;

        // A new incarnation per process: ids never repeat across restarts, whatever the sequence restarts from.
        _idPrefix = $"{settings.Node}-{Random.Shared.NextInt64():x16}-";
        _buffer = Channel.CreateBounded<Lease>(new BoundedChannelOptions(settings.Buffer)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Batches the stream acknowledged (duplicates included).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Acknowledgements that said "duplicate": a retried batch the stream already held.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Batches refused because the local buffer was full.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>Publish attempts that failed and were retried.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Batches waiting in the local buffer or in flight.</summary>
    public int Buffered => Volatile.Read(ref _buffered);

    /// <summary>Copies the batch into the buffer; false (counted and logged) when the buffer is full or closed.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> entries)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(entries.Length, 1));
        entries.CopyTo(buffer);
        Interlocked.Increment(ref _buffered);
        if (_buffer.Writer.TryWrite(new Lease(buffer, entries.Length)))
        {
            return true;
        }

        Interlocked.Decrement(ref _buffered);
        ArrayPool<byte>.Shared.Return(buffer);
        long overflows = Interlocked.Increment(ref _overflows);
        if (_overflowLog.TryEnter(out long suppressed))
        {
            Log.BufferFull(_logger, _settings.Buffer, entries.Length, overflows, suppressed);
        }

        return false;
    }

    /// <summary>No more batches; <see cref="RunAsync"/> ends once the buffer is published.</summary>
    public void Complete() => _buffer.Writer.TryComplete();

    /// <summary>Publishes until the buffer is completed and empty, or <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var reader = _buffer.Reader;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));
        try
        {
            while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                while (reader.TryRead(out var lease))
                {
                    try
                    {
                        await PublishUntilAcceptedAsync(lease, backoff, stop).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(lease.Buffer);
                        Interlocked.Decrement(ref _buffered);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            int lost = 0;
            while (reader.TryRead(out var lease))
            {
                ArrayPool<byte>.Shared.Return(lease.Buffer);
                Interlocked.Decrement(ref _buffered);
                lost++;
            }

            if (lost > 0)
            {
                Log.StoppedWithBuffered(_logger, lost);
            }
        }
    }

    // Pooled: the publish completes when the stream answers, so a plain async method would box its state per batch.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PublishUntilAcceptedAsync(Lease lease, Backoff backoff, CancellationToken stop)
    {
        string id = string.Create(CultureInfo.InvariantCulture, $"{_idPrefix}{++_sequence}");
        _headers[MessageIdHeader] = id;
        long failuresBefore = 0;
        while (true)
        {
            string error;
            try
            {
                var reply = await _connection.RequestAsync(
                    _settings.Subject,
                    new ReadOnlyMemory<byte>(lease.Buffer, 0, lease.Length),
                    _headers,
                    NatsRawSerializer<ReadOnlyMemory<byte>>.Default,
                    PubAckDeserializer.Instance,
                    requestOpts: null,
                    _replyOptions,
                    stop).ConfigureAwait(false);
                var ack = reply.Data;
                if (!ack.IsError)
                {
                    Interlocked.Increment(ref _published);
                    if (ack.Duplicate)
                    {
                        Interlocked.Increment(ref _duplicates);
                    }

                    if (failuresBefore > 0)
                    {
                        Log.PublishingAgain(_logger, failuresBefore, Buffered - 1);
                    }

                    backoff.Reset();
                    return;
                }

                error = $"the stream refused it: {ack.Error} (code {ack.ErrorCode})";
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw;
            }
            catch (NatsNoRespondersException)
            {
                error = $"nothing answers on {_settings.Subject} (no stream stores it, or JetStream is not ready yet){await SetUpStreamAsync(stop).ConfigureAwait(false)}";
            }
            catch (NatsNoReplyException)
            {
                error = $"no answer within {AnswerTimeout.TotalSeconds:0} s";
            }
            catch (NatsException e)
            {
                error = NatsText.Describe(e);
            }

            failuresBefore++;
            Interlocked.Increment(ref _failures);
            if (_failureLog.TryEnter(out long suppressed))
            {
                Log.PublishFailed(_logger, id, lease.Length, _settings.Subject, error, (int)backoff.Next.TotalMilliseconds, Buffered - 1, suppressed);
            }

            await backoff.DelayAsync(stop).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the stream if it went missing; returns what went wrong, for the failure's log line.</summary>
    private async ValueTask<string> SetUpStreamAsync(CancellationToken stop)
    {
        try
        {
            await _setup.EnsureStreamAsync(stop).ConfigureAwait(false);
            return "";
        }
        catch (Exception e) when (e is NatsException or NatsSetupException)
        {
            return $"; setting up the stream failed: {UrlPassword.Hide(e.Message)}";
        }
    }

    private readonly record struct Lease(byte[] Buffer, int Length);
}
