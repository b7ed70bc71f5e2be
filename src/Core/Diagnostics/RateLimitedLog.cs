namespace Joold.Diagnostics;

/// <summary>
/// Lets through at most <c>burst</c> events per <c>window</c> and counts the rest, so a flood of bad input is
/// visible in the log without drowning it. Thread-safe and allocation-free.
/// </summary>
public sealed class RateLimitedLog(int burst = 10, TimeSpan? window = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // In the provider's own timestamp units: a provider need not tick at Stopwatch.Frequency.
    private readonly long _windowTicks = (long)((window ?? TimeSpan.FromSeconds(10)).TotalSeconds * (time ?? TimeProvider.System).TimestampFrequency);
    private readonly Lock _lock = new();
    private long _windowStart = long.MinValue;
    private int _inWindow;
    private long _suppressed;

    /// <summary>
    /// Whether this event may be logged now. When a new window opens, <paramref name="suppressedBefore"/> says how
    /// many events the previous windows held back, so the message can mention them.
    /// </summary>
    public bool TryEnter(out long suppressedBefore)
    {
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            if (_windowStart == long.MinValue || now - _windowStart >= _windowTicks)
            {
                _windowStart = now;
                _inWindow = 0;
            }

            if (_inWindow < burst)
            {
                _inWindow++;
                suppressedBefore = _suppressed;
                _suppressed = 0;
                return true;
            }

            _suppressed++;
            suppressedBefore = 0;
            return false;
        }
    }
}
