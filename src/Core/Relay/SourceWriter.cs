using Joold.Sessions;
using Joold.Stats;

namespace Joold.Relay;

/// <summary>The writer one source gets: validates, counts, and fans a batch out to the other side's sinks.</summary>
internal sealed class SourceWriter(SessionSide origin, SinkPump[] targets, JooldCounters counters) : ISessionBatchWriter
{
    public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
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
