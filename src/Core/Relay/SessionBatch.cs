namespace Joold.Relay;

/// <summary>
/// The unit that flows through the relay: the bytes of one session container (concatenated 40-byte entries,
/// exactly what C joold puts in a datagram) and where it came from. The relay forwards it without decoding it.
/// </summary>
/// <remarks>The memory belongs to the relay and is only valid until the sink's send completes.</remarks>
public readonly struct SessionBatch(ReadOnlyMemory<byte> entries, SessionSide origin)
{
    /// <summary>The container payload.</summary>
    public ReadOnlyMemory<byte> Entries { get; } = entries;

    /// <summary>The side that produced the batch; the relay only delivers it to the other side.</summary>
    public SessionSide Origin { get; } = origin;

    /// <summary>Number of whole 40-byte entries.</summary>
    public int SessionCount => Entries.Length / Sessions.SessionContainer.EntrySize;
}
