using Joold.Relay;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Tls;

/// <summary>
/// Asks the local side (Jool, through JoolNetlink's <see cref="ISessionAdvertiser"/>) to advertise every session
/// when a peer joins or comes back without its state, at most once per interval: requests that come sooner are
/// merged into one advertisement when the interval has passed, so no joining peer is left out. The advertisement
/// goes to every peer sink of this node (every Tls peer, and any other transport configured beside it).
/// </summary>
internal sealed class ResyncScheduler
{
    private const int MaxAttempts = 3;

    private readonly Func<ISessionAdvertiser?> _advertiser;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AsyncSignal _signal = new();
    private readonly Lock _lock = new();
    private readonly List<string> _reasons = [];
    private long _lastRun;
    private bool _ran;
    private bool _missingLogged;
    private int _advertisements;

    public ResyncScheduler(Func<ISessionAdvertiser?> advertiser, TimeSpan interval, TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        _advertiser = advertiser;
        _interval = interval;
        _timeout = timeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>Advertisements the local side accepted.</summary>
    public int Advertisements => Volatile.Read(ref _advertisements);

    /// <summary>Asks for an advertisement because of <paramref name="reason"/>; returns at once.</summary>
    public void Request(string reason)
    {
        lock (_lock)
        {
            if (!_reasons.Contains(reason))
            {
                _reasons.Add(reason);
            }
        }

        _signal.Set();
    }

    /// <summary>Serves requests until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(_signal.Close);
        while (await _signal.WaitAsync().ConfigureAwait(false))
        {
            if (_ran && _time.GetElapsedTime(_lastRun) is var since && since < _interval)
            {
                await Task.Delay(_interval - since, _time, cancellationToken).ConfigureAwait(false);
            }

            string reasons;
            lock (_lock)
            {
                reasons = string.Join("; ", _reasons);
                _reasons.Clear();
            }

            if (reasons.Length > 0)
            {
                await AdvertiseAsync(reasons, cancellationToken).ConfigureAwait(false);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task AdvertiseAsync(string reasons, CancellationToken cancellationToken)
    {
        var advertiser = _advertiser();
        if (advertiser is null)
        {
            if (!_missingLogged)
            {
                _missingLogged = true;
                Log.NoAdvertiser(_logger);
            }

            return;
        }

        Log.ResyncRequested(_logger, reasons);
        for (int attempt = 1; ; attempt++)
        {
            _ran = true;
            _lastRun = _time.GetTimestamp();
            try
            {
                await advertiser.AdvertiseAsync(_timeout, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _advertisements);
                Log.Advertised(_logger);
                return;
            }
            catch (Exception e) when ((e is InvalidOperationException or TimeoutException) && attempt < MaxAttempts)
            {
                // "Already in progress" or a busy kernel: the peer that joined may miss part of it; ask again later.
                Log.ResyncFailed(_logger, e.Message, _interval.TotalSeconds);
                await Task.Delay(_interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                Log.ResyncGaveUp(_logger, e.Message, MaxAttempts);
                return;
            }
        }
    }
}
