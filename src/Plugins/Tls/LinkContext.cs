using Joold.Diagnostics;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Tls;

/// <summary>What every connection of one transport shares: clocks, log, counters and where received batches go.</summary>
internal sealed class LinkContext(ILogger logger, TimeProvider time, TlsTimings timings, ulong incarnation, ITransportCounters? counters, Action<string> requestResync)
{
    private ISessionBatchWriter? _writer;
    private long _malformed;

    public ILogger Logger { get; } = logger;

    public TimeProvider Time { get; } = time;

    public TlsTimings Timings { get; } = timings;

    /// <summary>This process's incarnation: random, never 0, new at every start.</summary>
    public ulong Incarnation { get; } = incarnation;

    public RateLimitedLog MalformedLog { get; } = new(time: time);

    public RateLimitedLog InvalidBatchLog { get; } = new(time: time);

    public RateLimitedLog GapLog { get; } = new(time: time);

    /// <summary>The relay's writer while the source runs; null before and after (received batches are then not taken).</summary>
    public ISessionBatchWriter? Writer
    {
        get => Volatile.Read(ref _writer);
        set => Volatile.Write(ref _writer, value);
    }

    /// <summary>Frames that broke the protocol: malformed, out of place, or acknowledging the future.</summary>
    public long MalformedFrames => Interlocked.Read(ref _malformed);

    public void CountMalformed()
    {
        Interlocked.Increment(ref _malformed);
        counters?.Invalid(SessionSide.Peer);
    }

    /// <summary>Asks the local side to advertise every session (merged, at most once per interval).</summary>
    public void RequestResync(string reason) => requestResync(reason);

    /// <summary>How much time has passed since <paramref name="timestamp"/> (a <see cref="TimeProvider.GetTimestamp"/>).</summary>
    public TimeSpan Since(long timestamp) => Time.GetElapsedTime(timestamp);
}
