using System.Diagnostics;
using Joold.Sessions;
using Joold.Stats;

namespace Joold.Relay;

/// <summary>The writer one source gets: validates, counts, and fans a batch out to the other side's sinks.</summary>
internal sealed class SourceWriter(SessionSide origin, SinkPump[] targets, JooldCounters counters) : ISessionBurstWriter
{
    // Per target, the burst being gathered for a sink that coalesces; null for the others.
    private readonly BurstGatherer?[] _gatherers = [.. targets.Select(t => t.Sink is ICoalescingSessionSink { MaxCoalescedLength: > 0 } c
        ? new BurstGatherer(t, c.MaxCoalescedLength) : null)];

    private long _enteredAt;

    /// <summary>
    /// When the write in progress began (a <see cref="Stopwatch"/> timestamp), or 0 when the source is not inside
    /// the relay. An idle sink pump runs on the writer's thread, so a sink that blocks stalls the source right here.
    /// </summary>
    public long BusySince => Volatile.Read(ref _enteredAt);

    public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken) =>
        WriteAsync(entries, moreFollow: false, cancellationToken);

    public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, bool moreFollow, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _enteredAt, Stopwatch.GetTimestamp());
        try
        {
            return Write(entries, moreFollow);
        }
        finally
        {
            if (!moreFollow)
            {
                EndBurst();
            }

            Volatile.Write(ref _enteredAt, 0);
        }
    }

    public void EndBurst()
    {
        foreach (var gatherer in _gatherers)
        {
            gatherer?.Flush();
        }
    }

    private ValueTask<RelayResult> Write(ReadOnlyMemory<byte> entries, bool moreFollow)
    {
        if (origin == SessionSide.Peer)
        {
            counters.NetReceived(entries.Length);
        }

        if (!SessionContainer.Validate(entries.Span).IsValid)
        {
            counters.Invalid(origin);
            return ValueTask.FromResult(RelayResult.Invalid);
        }

        if (targets.Length == 0)
        {
            counters.Drop();
            return ValueTask.FromResult(RelayResult.Dropped);
        }

        bool all = true;
        bool any = false;
        for (int i = 0; i < targets.Length; i++)
        {
            var gatherer = _gatherers[i];
            bool queued = true;
            if (gatherer is not null && (moreFollow || gatherer.IsGathering))
            {
                gatherer.Gather(entries, origin);
            }
            else
            {
                queued = targets[i].TryEnqueue(entries, origin);
            }

            all &= queued;
            any |= queued;
        }

        if (origin == SessionSide.Local && any)
        {
            counters.KernelSent(entries.Length);
        }

        return ValueTask.FromResult(all ? RelayResult.Accepted : RelayResult.Dropped);
    }
}
