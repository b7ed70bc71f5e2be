using System.Buffers;
using Joold.Plugins.Tls.Protocol;

namespace Joold.Plugins.Tls;

/// <summary>
/// One peer's ordered queue of batches, each with its sequence number (1, 2, 3, ... for this node's incarnation).
/// A batch stays until the peer acknowledges it, so after a reconnect everything from the first unacknowledged
/// batch can be sent again. Bounded: when full, the oldest batch is dropped and counted. Thread-safe.
/// </summary>
/// <remarks>
/// Batches of a kernel's size (up to 2 KiB) are copied into buffers the queue keeps for reuse (at most
/// <see cref="MaxSpareBuffers"/> spare), larger ones into buffers of the shared array pool. The shared pool alone
/// allocates once more than a few dozen buffers are out at once, as they are while a window of batches awaits
/// its ACK; the queue's own spares make steady traffic allocation-free.
/// </remarks>
internal sealed class BatchQueue
{
    private const int InitialSlots = 64;
    private const int SmallBuffer = 2048;
    private const int MaxSpareBuffers = 1024;

    private readonly Lock _lock = new();
    private readonly Stack<byte[]> _spare = new();
    private Slot[] _slots = new Slot[InitialSlots];
    private int _first;
    private int _count;
    private ulong _firstSequence = 1;
    private bool _closed;

    public BatchQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Batches waiting for the peer's acknowledgement.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>The sequence number of the oldest batch held (the next to be acknowledged).</summary>
    public ulong FirstSequence
    {
        get
        {
            lock (_lock)
            {
                return _firstSequence;
            }
        }
    }

    /// <summary>The sequence number the next batch will get.</summary>
    public ulong NextSequence
    {
        get
        {
            lock (_lock)
            {
                return _firstSequence + (ulong)_count;
            }
        }
    }

    /// <summary>
    /// Appends a copy of <paramref name="container"/>. Returns false when the queue was full and its oldest batch
    /// was dropped to make room (the peer then misses it), true otherwise. A closed queue takes nothing.
    /// </summary>
    public bool Enqueue(ReadOnlySpan<byte> container)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            bool dropped = _count == Capacity;
            if (dropped)
            {
                Release(_slots[_first].Buffer!);
                _slots[_first] = default;
                _first = (_first + 1) % _slots.Length;
                _count--;
                _firstSequence++;
            }
            else if (_count == _slots.Length)
            {
                Grow();
            }

            byte[] buffer = Rent(container.Length);
            container.CopyTo(buffer);
            _slots[(_first + _count) % _slots.Length] = new Slot(buffer, container.Length);
            _count++;
            return !dropped;
        }
    }

    /// <summary>
    /// Releases every batch up to and including <paramref name="sequence"/>. Returns how many were released, or -1
    /// when <paramref name="sequence"/> names a batch that was never queued (a peer that acknowledges the future).
    /// </summary>
    public int Acknowledge(ulong sequence)
    {
        lock (_lock)
        {
            if (sequence >= _firstSequence + (ulong)_count)
            {
                return -1;
            }

            int released = 0;
            while (_count > 0 && _firstSequence <= sequence)
            {
                Release(_slots[_first].Buffer!);
                _slots[_first] = default;
                _first = (_first + 1) % _slots.Length;
                _count--;
                _firstSequence++;
                released++;
            }

            return released;
        }
    }

    /// <summary>
    /// Writes BATCH frames into <paramref name="destination"/>, starting at <paramref name="next"/> (moved past
    /// batches dropped meanwhile) and stopping when the queue ends or the next frame does not fit. Returns the bytes
    /// written, advances <paramref name="next"/> past the frames written and says how many in <paramref name="frames"/>.
    /// </summary>
    public int WriteFrames(ref ulong next, Span<byte> destination, out int frames)
    {
        frames = 0;
        lock (_lock)
        {
            if (next < _firstSequence)
            {
                next = _firstSequence;
            }

            int written = 0;
            ulong end = _firstSequence + (ulong)_count;
            while (next < end)
            {
                var slot = _slots[(_first + (int)(next - _firstSequence)) % _slots.Length];
                if (FrameCodec.BatchSize(slot.Length) > destination.Length - written)
                {
                    break;
                }

                written += FrameCodec.WriteBatch(destination[written..], next, slot.Buffer.AsSpan(0, slot.Length));
                next++;
                frames++;
            }

            return written;
        }
    }

    /// <summary>Returns every buffer to the pool; the queue takes nothing more.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            while (_count > 0)
            {
                Release(_slots[_first].Buffer!);
                _slots[_first] = default;
                _first = (_first + 1) % _slots.Length;
                _count--;
                _firstSequence++;
            }

            _spare.Clear();
        }
    }

    /// <summary>Under the lock.</summary>
    private byte[] Rent(int length) =>
        length > SmallBuffer ? ArrayPool<byte>.Shared.Rent(length)
        : _spare.TryPop(out byte[]? spare) ? spare
        : new byte[SmallBuffer];

    /// <summary>Under the lock.</summary>
    private void Release(byte[] buffer)
    {
        if (buffer.Length != SmallBuffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else if (_spare.Count < MaxSpareBuffers && !_closed)
        {
            _spare.Push(buffer);
        }
    }

    private void Grow()
    {
        var larger = new Slot[Math.Min(Math.Max(_slots.Length * 2, InitialSlots), Capacity)];
        for (int i = 0; i < _count; i++)
        {
            larger[i] = _slots[(_first + i) % _slots.Length];
        }

        _slots = larger;
        _first = 0;
    }

    private readonly record struct Slot(byte[]? Buffer, int Length);
}
