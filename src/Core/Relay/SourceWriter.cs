using System.Diagnostics;
using Joold.Sessions;
using Joold.Stats;

namespace Joold.Relay;

/// <summary>The writer one source gets: validates, counts, and fans a batch out to the other side's sinks.</summary>
internal sealed class SourceWriter(SessionSide origin, SinkPump[] targets, JooldCounters counters) : ISessionBatchWriter
{
    private long _enteredAt;

    /// <summary>
    /// When the write in progress began (a <see cref="Stopwatch"/> timestamp), or 0 when the source is not inside
    /// the relay. An idle sink pump runs on the writer's thread, so a sink that blocks stalls the source right here.
    /// </summary>
    public long BusySince => Volatile.Read(ref _enteredAt);

    public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _enteredAt, Stopwatch.GetTimestamp());
        try
        {
            return Write(entries);
        }
        finally
        {
            Volatile.Write(ref _enteredAt, 0);
        }
    }

    private ValueTask<RelayResult> Write(ReadOnlyMemory<byte> entries)
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
        foreach (var target in targets)
        {
            bool queued = target.TryEnqueue(entries, origin);
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
