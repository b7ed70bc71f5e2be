using System.Diagnostics;
using System.Globalization;

namespace Joold.FakeKernel;

/// <summary>
/// For the load tool's latency figure (kernel A's multicast to kernel B's receipt of the JOOLD_ADD): while on, the
/// fake notes the monotonic clock (<see cref="Stopwatch.GetTimestamp"/>, CLOCK_MONOTONIC on Linux, the same clock
/// in every process) of each session multicast it sends and of each JOOLD_ADD it receives, keyed by the batch's
/// last 40-byte entry (a message ends with its container's entries, and a daemon forwards them unchanged). The
/// caller matches the two sides by key. Preallocated, so recording does not allocate; stops when full.
/// </summary>
internal sealed class LatencyStamps
{
    private const int EntrySize = 40;

    private long[] _keys = [];
    private long[] _ticks = [];
    private bool[] _received = [];
    private int _count;

    public bool On { get; private set; }

    /// <summary>Forgets what was noted and notes up to <paramref name="capacity"/> messages from now on.</summary>
    public void Start(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _keys = new long[capacity];
        _ticks = new long[capacity];
        _received = new bool[capacity];
        _count = 0;
        On = true;
    }

    public void Stop() => On = false;

    /// <summary>Notes a message sent or received at <paramref name="ticks"/>, if on and it can hold an entry.</summary>
    public void Note(ReadOnlySpan<byte> message, bool received, long ticks)
    {
        if (!On || _count == _keys.Length || message.Length < EntrySize)
        {
            return;
        }

        _ticks[_count] = ticks;
        _received[_count] = received;
        _keys[_count++] = KeyOf(message[^EntrySize..]);
    }

    /// <summary>
    /// One line per noted message: <c>stamp sent|added KEY TICKS</c> (key in hex, ticks of
    /// <see cref="Stopwatch.Frequency"/>).
    /// </summary>
    public IEnumerable<string> Lines()
    {
        for (int i = 0; i < _count; i++)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"stamp {(_received[i] ? "added" : "sent")} {_keys[i]:x} {_ticks[i]}");
        }
    }

    /// <summary>FNV-1a over the entry: distinct for the load's distinct sessions, which is all the matching needs.</summary>
    private static long KeyOf(ReadOnlySpan<byte> entry)
    {
        ulong hash = 14695981039346656037;
        foreach (byte b in entry)
        {
            hash = (hash ^ b) * 1099511628211;
        }

        return (long)hash;
    }
}
