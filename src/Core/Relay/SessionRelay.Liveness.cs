using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Joold.Relay;

/// <summary>What a watchdog and a metrics exporter may ask of a running relay.</summary>
public sealed partial class SessionRelay
{
    private readonly List<(ISessionSource Source, SourceWriter Writer)> _tracked = [];

    /// <summary>Every sink's queue, for the queue-depth metric.</summary>
    internal IReadOnlyList<SinkPump> SinkQueues => _pumps;

    /// <summary>
    /// Whether the relay runs and every source's receive loop comes round: no source has been inside the relay,
    /// handing over one batch, for <paramref name="stallAfter"/> or longer. A source waiting for input is alive (an
    /// idle gateway is healthy); one stuck in the handover is not. That happens when a sink blocks the thread it is
    /// called on, since an idle sink's queue is emptied on the source's own thread.
    /// </summary>
    /// <param name="stallAfter">How long one handover may take before the source counts as stalled.</param>
    /// <param name="problem">When not alive: what is wrong, for a log line.</param>
    public bool IsAlive(TimeSpan stallAfter, [NotNullWhen(false)] out string? problem)
    {
        if (Volatile.Read(ref _state) != 1 || _completion.Task.IsCompleted)
        {
            problem = "the relay is not running";
            return false;
        }

        lock (_tracked)
        {
            foreach (var (source, writer) in _tracked)
            {
                long since = writer.BusySince;
                if (since != 0 && Stopwatch.GetElapsedTime(since) >= stallAfter)
                {
                    problem = $"source '{source.Name}' has been handing over one batch for {Stopwatch.GetElapsedTime(since).TotalSeconds:0.#} s";
                    return false;
                }
            }
        }

        problem = null;
        return true;
    }

    private void Track(ISessionSource source, SourceWriter writer)
    {
        lock (_tracked)
        {
            _tracked.Add((source, writer));
        }
    }
}
