namespace Joold.Plugins.Tls;

/// <summary>
/// Capped exponential back-off with jitter for redialing a peer: each failure doubles the delay up to the cap,
/// and each delay is drawn from its upper half, so peers that lost each other at once do not redial in step.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _cap;
    private readonly Random _random;
    private TimeSpan _next;

    public ReconnectBackoff(TimeSpan initial, TimeSpan cap, Random? random = null)
    {
        _initial = _next = initial;
        _cap = cap;
        _random = random ?? Random.Shared;
    }

    /// <summary>The delay before the next attempt; doubles the one after, up to the cap.</summary>
    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_cap.Ticks, _next.Ticks * 2));
        return TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + (_random.NextDouble() / 2))));
    }

    /// <summary>After a connection that worked: start again from the initial delay.</summary>
    public void Reset() => _next = _initial;
}
