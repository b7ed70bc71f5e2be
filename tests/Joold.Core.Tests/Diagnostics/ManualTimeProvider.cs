namespace Joold.Core.Tests.Diagnostics;

/// <summary>A clock that only moves when told to, ticking in milliseconds (not the Stopwatch frequency).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _now = 1_000_000;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Interlocked.Read(ref _now);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _now, (long)by.TotalMilliseconds);
}
