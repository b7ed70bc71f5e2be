using System.Collections.Concurrent;
using Joold.Diagnostics;

namespace Joold.Plugins.Tls;

/// <summary>
/// Decides which refusals are logged: the first of each (address, reason) pair at once, repeats at most once a
/// window, counting what was held back. The table is bounded, so a scan from many addresses cannot grow it: past
/// the bound, all further pairs share one limiter.
/// </summary>
internal sealed class RefusalLog(TimeProvider time, TimeSpan window, int maxPairs = 1024)
{
    private readonly ConcurrentDictionary<(string Address, string Reason), RateLimitedLog> _pairs = new();
    private readonly RateLimitedLog _overflow = new(burst: 10, window, time);
    private long _refusals;

    /// <summary>Every refusal, logged or not.</summary>
    public long Count => Interlocked.Read(ref _refusals);

    /// <summary>Counts a refusal; true when it should be logged, with how many of its kind were held back.</summary>
    public bool ShouldLog(string address, string reason, out long suppressed)
    {
        Interlocked.Increment(ref _refusals);
        var key = (address, reason);
        if (!_pairs.TryGetValue(key, out var limiter))
        {
            limiter = _pairs.Count < maxPairs ? _pairs.GetOrAdd(key, _ => new RateLimitedLog(burst: 1, window, time)) : _overflow;
        }

        return limiter.TryEnter(out suppressed);
    }
}
