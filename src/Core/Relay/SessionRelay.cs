using Joold.Stats;
using Microsoft.Extensions.Logging;

namespace Joold.Relay;

/// <summary>
/// Moves batches between the two sides: every local (kernel) batch goes to every peer sink, every peer batch goes
/// to every local sink, and nothing goes back to the side it came from, so there are no echo loops. Each sink has
/// its own bounded queue, so a slow or failing sink neither blocks the others nor grows memory.
/// </summary>
public sealed partial class SessionRelay : IAsyncDisposable
{
    private readonly ISessionSource[] _sources;
    private readonly SinkPump[] _pumps;
    private readonly JooldCounters _counters;
    private readonly RelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopSources = new();
    private readonly CancellationTokenSource _abortSinks = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopLock = new();
    private Task[] _sourceTasks = [];
    private Task? _stopping;
    private int _state; // 0 new, 1 running, 2 stopped

    /// <summary>Creates a relay over the given components, which must be started before <see cref="Start"/>.</summary>
    /// <param name="sources">The sources; one registered twice runs once.</param>
    /// <param name="sinks">The sinks; one registered twice gets each batch once.</param>
    /// <param name="counters">Where the relay counts what it does; the daemon's stats read them.</param>
    /// <param name="logger">The relay's log.</param>
    /// <param name="options">Queue sizes and the drain timeout; defaults when null.</param>
    /// <param name="time">The clock for the drain timeout and the rate-limited logs; the system clock when null.</param>
    public SessionRelay(
        IEnumerable<ISessionSource> sources,
        IEnumerable<ISessionSink> sinks,
        JooldCounters counters,
        ILogger<SessionRelay> logger,
        RelayOptions? options = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(sinks);
        _sources = sources.Distinct().ToArray();
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _options = options ?? new RelayOptions();
        _time = time ?? TimeProvider.System;
        _pumps = sinks.Distinct().Select(s => new SinkPump(s, _options.SinkQueueCapacity, counters, logger, _time)).ToArray();
    }

    /// <summary>Completes when the relay stops; faults if a source failed on its own.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Starts the sink pumps and the sources' receive loops. Components must already be started.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The relay was already started (or stopped); a relay runs once.");
        }

        foreach (var pump in _pumps)
        {
            pump.Start(_abortSinks.Token);
        }

        _sourceTasks = _sources.Select(RunSourceAsync).ToArray();
        RelayLog.Started(_logger, _sources.Length, _pumps.Length);
    }

    /// <summary>
    /// Stops the sources, then lets the sinks drain their queues (bounded by the drain timeout). Every caller waits
    /// for the same stop, so a second stop (or a dispose) cannot return, or free what the first still uses, early.
    /// </summary>
    public Task StopAsync()
    {
        lock (_stopLock)
        {
            return _stopping ??= Interlocked.Exchange(ref _state, 2) == 1 ? StopRunningAsync() : CompleteUnstarted();
        }
    }

    private Task CompleteUnstarted()
    {
        // Nothing ran, so nothing to drain; whoever awaits Completion must not wait forever.
        _completion.TrySetResult();
        return Task.CompletedTask;
    }

    private async Task StopRunningAsync()
    {
        await _stopSources.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_sourceTasks).ConfigureAwait(false);

        foreach (var pump in _pumps)
        {
            pump.Complete();
        }

        var drained = Task.WhenAll(_pumps.Select(p => p.Completion));
        try
        {
            // WaitAsync, not WhenAny with a Delay: its timer is gone as soon as the drain ends.
            await drained.WaitAsync(_options.DrainTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var pump in _pumps.Where(p => !p.Completion.IsCompleted))
            {
                RelayLog.DrainTimedOut(_logger, pump.Sink.Name, _options.DrainTimeout);
            }

            await _abortSinks.CancelAsync().ConfigureAwait(false);
            await drained.ConfigureAwait(false);
        }

        _completion.TrySetResult();
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, then frees the relay's own resources. Does not dispose the components.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopSources.Dispose();
        _abortSinks.Dispose();
    }

    private async Task RunSourceAsync(ISessionSource source)
    {
        var targetSide = source.Side == SessionSide.Local ? SessionSide.Peer : SessionSide.Local;
        var targets = _pumps.Where(p => p.Sink.Side == targetSide && !ReferenceEquals(p.Sink, source)).ToArray();
        if (targets.Length == 0)
        {
            RelayLog.NoTarget(_logger, targetSide, source.Name);
        }

        var writer = new SourceWriter(source.Side, targets, _counters);
        Track(source, writer);
        try
        {
            await Task.Run(() => source.RunAsync(writer, _stopSources.Token), CancellationToken.None).ConfigureAwait(false);

            // A source only ends when told to; one that returns by itself has lost its input, and a daemon
            // without, say, its kernel side must not go on looking healthy.
            if (!_stopSources.IsCancellationRequested)
            {
                throw new InvalidOperationException("it stopped receiving on its own");
            }
        }
        catch (OperationCanceledException) when (_stopSources.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            RelayLog.SourceFailed(_logger, e, source.Name);
            _completion.TrySetException(new InvalidOperationException($"Source '{source.Name}' failed: {e.Message}", e));
        }
        finally
        {
            // A source that ended inside a burst: what was gathered still goes out.
            writer.EndBurst();
        }
    }
}
