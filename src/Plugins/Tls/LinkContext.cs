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
    private int _deliveries;

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

    /// <summary>
    /// Where a received batch goes now, or null when the source is stopped. A non-null answer must be followed by
    /// <see cref="ExitDelivery"/> once the relay took the batch: <see cref="StopDeliveriesAsync"/> waits for it.
    /// </summary>
    public ISessionBatchWriter? EnterDelivery()
    {
        Interlocked.Increment(ref _deliveries);
        var writer = Writer;
        if (writer is null)
        {
            Interlocked.Decrement(ref _deliveries);
        }

        return writer;
    }

    public void ExitDelivery() => Interlocked.Decrement(ref _deliveries);

    /// <summary>
    /// No batch is handed to the relay after this returns: one the relay refused while stopping would otherwise be
    /// acknowledged, and lost. Those not taken are sent again by their sender to this node's next incarnation.
    /// </summary>
    public async Task StopDeliveriesAsync()
    {
        Writer = null;
        while (Volatile.Read(ref _deliveries) != 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1), Time).ConfigureAwait(false);
        }
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
