using System.Runtime.CompilerServices;
using Joold.Configuration;
using Joold.Diagnostics;
using Joold.Relay;
using Joold.Sessions;
using Joold.Stats;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Joold.Plugins.Nats;

/// <summary>
/// A peer transport over NATS JetStream. As a sink, it publishes each kernel batch (the container as is) to
/// <c>joold.&lt;instance&gt;.&lt;node&gt;</c> through a bounded local buffer (<see cref="NatsPublisher"/>). As a
/// source, it reads every gateway's batches of the group through its own durable consumer, skips its own, hands
/// the others to the relay for the kernel and acknowledges each once the kernel sink handled it
/// (<see cref="DeliveryAcks{T}"/>). A restart resumes where the consumer stopped; a first-time joiner replays
/// the stream.
/// </summary>
public sealed class NatsTransport : ISessionSource, ISessionSink
{
    /// <summary>How long <see cref="StartAsync"/> waits for a first server before going on without one.</summary>
    public static readonly TimeSpan StartConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long a stop waits for the buffer to reach the stream when a server is connected.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long the server waits before it delivers again a batch the relay could not take.</summary>
    public static readonly TimeSpan RelayFullRedelivery = TimeSpan.FromSeconds(1);

    private const int StateNew = 0, StateStarting = 1, StateStarted = 2, StateDisposed = 3;

    private static readonly NatsJSConsumeOpts ConsumeOptions = new() { MaxMsgs = 256 };

    private readonly NatsSettings _settings;
    private readonly IJooldStatistics? _statistics;
    private readonly ILogger<NatsTransport> _logger;
    private readonly CancellationTokenSource _disposing = new();
    private readonly RateLimitedLog _disconnectLog = new();
    private readonly RateLimitedLog _serverErrorLog = new();
    private readonly RateLimitedLog _consumeLog = new();
    private readonly RateLimitedLog _invalidLog = new();
    private readonly RateLimitedLog _relayFullLog = new();
    private NatsConnection? _connection;
    private JetStreamSetup? _setup;
    private NatsPublisher? _publisher;
    private Task _publishing = Task.CompletedTask;
    private CancellationTokenSource? _stopPublishing;
    private long _delivered;
    private long _ownSkipped;
    private long _acknowledged;
    private DeliveryAcks<BatchBuffer>? _acks;
    private TaskCompletionSource? _runEnded;
    private int _state;

    public NatsTransport(NatsSettings settings, IJooldStatistics? statistics, ILogger<NatsTransport> logger)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _statistics = statistics;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Name = $"nats {settings.Subject} on {settings.Stream}";
    }

    public string Name { get; }

    public SessionSide Side => SessionSide.Peer;

    public NatsSettings Settings => _settings;

    /// <summary>Batches of other gateways handed to the relay and accepted.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Our own batches read back from the stream and skipped.</summary>
    public long OwnSkipped => Interlocked.Read(ref _ownSkipped);

    /// <summary>Consumed messages acknowledged after the kernel sink handled them.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged) + (Volatile.Read(ref _acks)?.Acknowledged ?? 0);

    /// <summary>Where the transport logs (for tests that read it).</summary>
    public ILogger<NatsTransport> Logger => _logger;

    /// <summary>Batches the stream acknowledged.</summary>
    public long Published => _publisher?.Published ?? 0;

    /// <summary>Batches the local buffer refused because it was full.</summary>
    public long BufferOverflows => _publisher?.Overflows ?? 0;

    /// <summary>Batches waiting for a server.</summary>
    public int Buffered => _publisher?.Buffered ?? 0;

    /// <summary>Publish attempts that failed and were retried.</summary>
    public long PublishFailures => _publisher?.Failures ?? 0;

    /// <summary>
    /// Connects (waiting at most <see cref="StartConnectTimeout"/>) and sets up the stream and the consumer. With
    /// no server answering it still starts: batches are buffered and the setup happens on the first connection. A
    /// server that answers but refuses the setup (a stream without our subjects, say) fails the start.
    /// </summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        int state = Interlocked.CompareExchange(ref _state, StateStarting, StateNew);
        if (state is StateStarted or StateStarting)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(state == StateDisposed, this);
        var connection = new NatsConnection(NatsConnectionOptions.For(_settings, _logger));
        try
        {
            connection.ConnectionDisconnected += OnDisconnectedAsync;
            connection.ConnectionOpened += OnOpenedAsync;
            connection.ServerError += OnServerErrorAsync;
            var setup = new JetStreamSetup(_settings, new NatsJSContext(connection), _logger);
            Log.Starting(_logger, _settings.Node, _settings.Subject, _settings.Stream, _settings.ServerList, _settings.ConsumerName, _settings.GroupSubjects);
            if (await TryConnectAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                await setup.EnsureStreamAsync(cancellationToken).ConfigureAwait(false);
            }

            var publisher = new NatsPublisher(_settings, connection, setup, _logger);
            _stopPublishing = new CancellationTokenSource();
            _publishing = Task.Run(() => publisher.RunAsync(_stopPublishing.Token), CancellationToken.None);
            (_connection, _setup, _publisher) = (connection, setup, publisher);
        }
        catch (Exception e)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            Volatile.Write(ref _state, StateNew);
            if (e is NatsException or NatsSetupException)
            {
                throw new InvalidOperationException($"NATS stream {_settings.Stream} on {_settings.ServerList}: {UrlPassword.Hide(e.Message)}", e);
            }

            throw;
        }

        if (Interlocked.CompareExchange(ref _state, StateStarted, StateStarting) != StateStarting)
        {
            // Disposed while starting: DisposeAsync saw nothing to release yet, so release it here.
            await ReleaseAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(NatsTransport));
        }
    }

    /// <summary>Queues the batch for the stream without waiting; false when not started, stopping, or the buffer is full.</summary>
    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        var publisher = _publisher;
        if (cancellationToken.IsCancellationRequested || publisher is null || Volatile.Read(ref _state) != StateStarted)
        {
            return ValueTask.FromResult(false);
        }

        return ValueTask.FromResult(publisher.TryEnqueue(batch.Entries.Span));
    }

    /// <summary>Consumes the group's batches until cancelled or disposed (see the class remarks).</summary>
    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var setup = _setup;
        if (setup is null || Volatile.Read(ref _state) == StateNew)
        {
            throw new InvalidOperationException($"{Name} must be started before it runs.");
        }

        var runEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _runEnded, runEnded);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var stop = linked.Token;
        var acks = new DeliveryAcks<BatchBuffer>(_statistics);
        Volatile.Write(ref _acks, acks);
        var acking = Task.Run(() => acks.RunAsync(stop), CancellationToken.None);
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var consumer = await setup.EnsureConsumerAsync(stop).ConfigureAwait(false);
                    await foreach (var message in consumer.ConsumeAsync(BatchBufferDeserializer.Instance, ConsumeOptions, stop).ConfigureAwait(false))
                    {
                        await HandleAsync(message, writer, acks, stop).ConfigureAwait(false);
                        backoff.Reset();
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e) when (e is NatsException or NatsSetupException)
                {
                    if (_consumeLog.TryEnter(out long suppressed))
                    {
                        Log.ConsumeFailed(_logger, _settings.ConsumerName, _settings.Stream, NatsText.Describe(e), (int)backoff.Next.TotalMilliseconds, suppressed);
                    }
                }

                // Ended or failed: pause, then find the consumer again (it may have been deleted: a new one replays).
                try
                {
                    await backoff.DelayAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
            await acking.ConfigureAwait(false);
            Interlocked.Add(ref _acknowledged, acks.Acknowledged);
            Volatile.Write(ref _acks, null);
            runEnded.TrySetResult();
        }
    }

    /// <summary>Stops consuming, gives the buffer a moment to reach the stream, and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        int previous = Interlocked.Exchange(ref _state, StateDisposed);
        if (previous == StateDisposed)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (previous == StateStarted)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask ReleaseAsync()
    {
        var connection = _connection;
        if (_publisher is { } publisher)
        {
            publisher.Complete();
            if (connection?.ConnectionState == NatsConnectionState.Open)
            {
                await Task.WhenAny(_publishing, Task.Delay(DrainTimeout)).ConfigureAwait(false);
            }

            await _stopPublishing!.CancelAsync().ConfigureAwait(false);
            await _publishing.ConfigureAwait(false);
            _stopPublishing.Dispose();
        }

        if (connection is not null)
        {
            await LeaveConsumerAsync(connection).ConfigureAwait(false);
            connection.ConnectionDisconnected -= OnDisconnectedAsync;
            connection.ConnectionOpened -= OnOpenedAsync;
            connection.ServerError -= OnServerErrorAsync;
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Makes sure the server knows we stopped pulling before the connection goes. The consumer's pull requests
    /// outlive our subscription on the server until it sees the UNSUB; a batch published in between would be sent
    /// to a closed connection and come back only after <see cref="JetStreamSetup.AckWait"/>, behind later ones. A
    /// ping after the run ended (its UNSUB goes first on the same connection) closes that window.
    /// </summary>
    private async ValueTask LeaveConsumerAsync(NatsConnection connection)
    {
        if (Volatile.Read(ref _runEnded) is { } runEnded)
        {
            try
            {
                await runEnded.Task.WaitAsync(DrainTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The run is stuck in the client; closing the connection ends it.
            }
        }

        if (connection.ConnectionState != NatsConnectionState.Open)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(DrainTimeout);
        try
        {
            await connection.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or NatsException)
        {
            // No answer: the server learns it from the closed connection instead.
        }
    }

    // Pooled: a message's handling often completes later (the acknowledgement's write), which would box per batch.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask HandleAsync(INatsJSMsg<BatchBuffer> message, ISessionBatchWriter writer, DeliveryAcks<BatchBuffer> acks, CancellationToken stop)
    {
        RelayResult result;
        int length;
        using (var data = message.Data)
        {
            length = data.Length;
            if (string.Equals(message.Subject, _settings.Subject, StringComparison.Ordinal))
            {
                // Our own batch: the stream hands it to every consumer of the group, ours included (no
                // multi-filter consumers before NATS 2.10); it never goes back to our kernel.
                Interlocked.Increment(ref _ownSkipped);
                await message.AckAsync(cancellationToken: stop).ConfigureAwait(false);
                return;
            }

            result = await writer.WriteAsync(data.Memory, stop).ConfigureAwait(false);
            if (result == RelayResult.Invalid && _invalidLog.TryEnter(out long invalidSuppressed))
            {
                Log.InvalidMessage(_logger, message.Subject, length, SessionContainer.Validate(data.Span).Describe(), invalidSuppressed);
            }
        }

        switch (result)
        {
            case RelayResult.Accepted:
                Interlocked.Increment(ref _delivered);
                await acks.AcceptedAsync(message, stop).ConfigureAwait(false);
                break;
            case RelayResult.Invalid:
                // Never valid on a later delivery either.
                await message.AckTerminateAsync(cancellationToken: stop).ConfigureAwait(false);
                break;
            default:
                if (_relayFullLog.TryEnter(out long suppressed))
                {
                    Log.RelayFull(_logger, message.Subject, suppressed);
                }

                await message.NakAsync(delay: RelayFullRedelivery, cancellationToken: stop).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>One connection attempt to the servers, bounded by <see cref="StartConnectTimeout"/>; a failure is logged with its reason.</summary>
    private async ValueTask<bool> TryConnectAsync(NatsConnection connection, CancellationToken cancellationToken)
    {
        var connecting = connection.ConnectAsync().AsTask();
        string reason;
        try
        {
            await connecting.WaitAsync(StartConnectTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            // The attempt goes on in the background; nobody waits for its outcome.
            _ = connecting.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            reason = $"no answer within {StartConnectTimeout.TotalSeconds:0} s";
        }
        catch (NatsException e)
        {
            reason = NatsText.Describe(e);
        }

        Log.NoServerAtStart(_logger, _settings.ServerList, reason, _settings.Buffer);
        return false;
    }

    private ValueTask OnDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        if (Volatile.Read(ref _state) != StateDisposed && _disconnectLog.TryEnter(out long suppressed))
        {
            Log.Disconnected(_logger, NatsText.ServerName(sender), _settings.ServerList, suppressed);
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask OnOpenedAsync(object? sender, NatsEventArgs args)
    {
        Log.Connected(_logger, NatsText.ServerName(sender), Buffered);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnServerErrorAsync(object? sender, NatsServerErrorEventArgs args)
    {
        if (_serverErrorLog.TryEnter(out long suppressed))
        {
            Log.ServerError(_logger, UrlPassword.Hide(args.Error), suppressed);
        }

        return ValueTask.CompletedTask;
    }
}
