using System.Diagnostics.CodeAnalysis;
using Joold.Stats;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>
/// The kernel batches that arrive between StartAsync and the relay's RunAsync, held (copied) in arrival order and
/// forwarded, then ACKed, once the relay runs. The kernel's window of one unACKed batch keeps this small; beyond
/// <see cref="Capacity"/> batches are dropped, counted as overruns and not ACKed. Only the receive loop uses it.
/// </summary>
internal sealed class EarlyBatchStash(ITransportCounters counters, ILogger logger)
{
    /// <summary>How many batches are held at most.</summary>
    public const int Capacity = 64;

    private readonly Queue<byte[]> _batches = new();
    private int _dropped;

    /// <summary>Whether nothing is held.</summary>
    public bool IsEmpty => _batches.Count == 0;

    /// <summary>Holds a copy of <paramref name="container"/>, or counts it as an overrun when full (logged once).</summary>
    public void Hold(ReadOnlySpan<byte> container)
    {
        if (_batches.Count < Capacity)
        {
            _batches.Enqueue(container.ToArray());
            return;
        }

        counters.Overrun();
        if (++_dropped == 1)
        {
            Log.StashFull(logger, Capacity);
        }
    }

    /// <summary>The oldest batch held, if any, removed from the stash.</summary>
    public bool TryTake([NotNullWhen(true)] out byte[]? container) => _batches.TryDequeue(out container);
}
