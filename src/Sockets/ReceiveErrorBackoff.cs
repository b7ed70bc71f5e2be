namespace Joold.Sockets;

/// <summary>
/// The pause a receive loop takes after an error, so a socket that keeps failing cannot spin a core: the first
/// pause is short, each further error in a row doubles it up to a bound, and a successful receive resets it.
/// One per loop; not thread-safe.
/// </summary>
/// <example>
/// <code>
/// catch (SocketException e)
/// {
///     LogRateLimited(e);
///     await backoff.PauseAsync(stopping);   // throws OperationCanceledException when stopping
///     continue;
/// }
/// backoff.Reset();
/// </code>
/// </example>
public sealed class ReceiveErrorBackoff
{
    /// <summary>The pause after the first error: long enough to yield the core, short enough not to be noticed.</summary>
    public static readonly TimeSpan DefaultFirstPause = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest pause: a socket that recovers is used again within a second.</summary>
    public static readonly TimeSpan DefaultMaxPause = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly TimeSpan _first;
    private readonly TimeSpan _max;
    private TimeSpan _next;
    private long _errors;

    /// <summary>A back-off on <paramref name="time"/> (the system clock when null), with the default pauses unless given.</summary>
    public ReceiveErrorBackoff(TimeProvider? time = null, TimeSpan? firstPause = null, TimeSpan? maxPause = null)
    {
        _time = time ?? TimeProvider.System;
        _first = firstPause ?? DefaultFirstPause;
        _max = maxPause ?? DefaultMaxPause;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_first, TimeSpan.Zero, nameof(firstPause));
        ArgumentOutOfRangeException.ThrowIfLessThan(_max, _first, nameof(maxPause));
        _next = _first;
    }

    /// <summary>Errors since the last success.</summary>
    public long ConsecutiveErrors => _errors;

    /// <summary>How long the next <see cref="PauseAsync"/> waits.</summary>
    public TimeSpan NextPause => _next;

    /// <summary>
    /// Counts an error and waits the current pause, then doubles the next one (up to the bound). Throws
    /// <see cref="OperationCanceledException"/> at once when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public Task PauseAsync(CancellationToken cancellationToken)
    {
        _errors++;
        var pause = _next;
        _next = pause * 2 < _max ? pause * 2 : _max;
        return Task.Delay(pause, _time, cancellationToken);
    }

    /// <summary>After a success: the next error pauses briefly again. Costs one read when nothing failed.</summary>
    public void Reset()
    {
        if (_errors != 0)
        {
            _errors = 0;
            _next = _first;
        }
    }
}
