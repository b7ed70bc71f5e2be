namespace Joold.Fuzz.Support;

/// <summary>
/// A clock that moves a minute every time it is read, so rate-limited log lines are never held back and each one is
/// formatted (a real clock would let ten through, then skip the formatting for the rest of the run).
/// </summary>
internal sealed class SteppingTime : TimeProvider
{
    private long _ticks = DateTimeOffset.UnixEpoch.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Add(ref _ticks, TimeSpan.TicksPerMinute), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.TicksPerMinute);
}
