using System.Buffers;

namespace Joold.Relay;

/// <summary>
/// The batches of the burst in progress for one coalescing sink: their entries appended in one pooled buffer, which
/// goes to the sink's queue as one batch when the burst ends or the next batch would not fit. One per writer and
/// sink; used only by the writer's source, so not thread-safe.
/// </summary>
internal sealed class BurstGatherer(SinkPump target, int maxLength)
{
    private byte[]? _buffer;
    private int _length;
    private int _batches;
    private SessionSide _origin;

    public SinkPump Target => target;

    public bool IsGathering => _batches != 0;

    /// <summary>Appends a copy of <paramref name="entries"/>, first sending what was gathered if it would not fit.</summary>
    public void Gather(ReadOnlyMemory<byte> entries, SessionSide origin)
    {
        if (_batches != 0 && _length + entries.Length > maxLength)
        {
            Flush();
        }

        _buffer ??= ArrayPool<byte>.Shared.Rent(Math.Max(maxLength, entries.Length));
        entries.Span.CopyTo(_buffer.AsSpan(_length));
        _length += entries.Length;
        _batches++;
        _origin = origin;
    }

    /// <summary>Queues what was gathered as one batch (the queue takes the buffer); nothing when nothing was.</summary>
    public void Flush()
    {
        if (_batches == 0)
        {
            return;
        }

        var buffer = _buffer!;
        int length = _length;
        int batches = _batches;
        _buffer = null;
        _length = 0;
        _batches = 0;
        target.EnqueueOwned(buffer, length, _origin, batches);
    }
}
