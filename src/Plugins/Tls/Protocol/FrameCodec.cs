using System.Buffers.Binary;

namespace Joold.Plugins.Tls.Protocol;

/// <summary>
/// Writes and parses frames. Every frame starts with an 8-byte header, all integers big-endian:
/// <code>
///  0       1       2       3       4       5       6       7
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// |  'J'  |  'T'  |version| type  |    payload length (bytes)     |
/// +-------+-------+-------+-------+-------+-------+-------+-------+
/// </code>
/// HELLO and ACK carry an 8-byte number, BATCH an 8-byte sequence number followed by the session container (at
/// least one byte, at most <see cref="MaxContainer"/>), PING nothing. Allocation-free.
/// </summary>
public static class FrameCodec
{
    public const byte Magic0 = (byte)'J';
    public const byte Magic1 = (byte)'T';
    public const byte Version = 1;
    public const int HeaderSize = 8;
    public const int NumberSize = 8;

    /// <summary>The largest container a BATCH carries: more than any datagram, so every relayed batch fits.</summary>
    public const int MaxContainer = 64 * 1024;

    /// <summary>The largest payload accepted; a larger length field closes the connection before anything is read.</summary>
    public const int MaxPayload = NumberSize + MaxContainer;

    /// <summary>The largest frame: header and the largest payload.</summary>
    public const int MaxFrame = HeaderSize + MaxPayload;

    /// <summary>Bytes a BATCH frame with a container of <paramref name="containerLength"/> bytes takes.</summary>
    public static int BatchSize(int containerLength) => HeaderSize + NumberSize + containerLength;

    public static int WriteHello(Span<byte> destination, ulong incarnation) => WriteNumberFrame(destination, FrameType.Hello, incarnation);

    public static int WriteAck(Span<byte> destination, ulong sequence) => WriteNumberFrame(destination, FrameType.Ack, sequence);

    public static int WritePing(Span<byte> destination)
    {
        WriteHeader(destination, FrameType.Ping, 0);
        return HeaderSize;
    }

    /// <summary>Writes a whole BATCH frame; <paramref name="destination"/> must hold <see cref="BatchSize"/> bytes.</summary>
    public static int WriteBatch(Span<byte> destination, ulong sequence, ReadOnlySpan<byte> container)
    {
        if (container.Length is 0 or > MaxContainer)
        {
            throw new ArgumentOutOfRangeException(nameof(container), container.Length, $"A container has 1 to {MaxContainer} bytes.");
        }

        WriteHeader(destination, FrameType.Batch, NumberSize + container.Length);
        BinaryPrimitives.WriteUInt64BigEndian(destination[HeaderSize..], sequence);
        container.CopyTo(destination[(HeaderSize + NumberSize)..]);
        return BatchSize(container.Length);
    }

    /// <summary>
    /// Parses the frame at the start of <paramref name="buffer"/>. Returns <see cref="FrameError.None"/> and the frame
    /// with <paramref name="consumed"/> bytes when it is whole; <see cref="FrameError.None"/> with consumed 0 when more
    /// bytes are needed; or the error, which is decided from the header alone, before a payload is awaited.
    /// </summary>
    public static FrameError TryParse(ReadOnlySpan<byte> buffer, out Frame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        if (buffer.Length < HeaderSize)
        {
            // Fail on the first wrong byte rather than wait for a header that cannot become right.
            return (buffer.Length >= 1 && buffer[0] != Magic0) || (buffer.Length >= 2 && buffer[1] != Magic1) ? FrameError.BadMagic
                : buffer.Length >= 3 && buffer[2] != Version ? FrameError.BadVersion
                : FrameError.None;
        }

        if (buffer[0] != Magic0 || buffer[1] != Magic1)
        {
            return FrameError.BadMagic;
        }

        if (buffer[2] != Version)
        {
            return FrameError.BadVersion;
        }

        var type = (FrameType)buffer[3];
        uint length = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        if (type is not (FrameType.Hello or FrameType.Batch or FrameType.Ack or FrameType.Ping))
        {
            return FrameError.UnknownType;
        }

        if (length > MaxPayload)
        {
            return FrameError.Oversized;
        }

        bool fits = type switch
        {
            FrameType.Ping => length == 0,
            FrameType.Batch => length > NumberSize,
            _ => length == NumberSize,
        };
        if (!fits)
        {
            return FrameError.BadLength;
        }

        int total = HeaderSize + (int)length;
        if (buffer.Length < total)
        {
            return FrameError.None;
        }

        ulong number = length >= NumberSize ? BinaryPrimitives.ReadUInt64BigEndian(buffer[HeaderSize..]) : 0;
        int containerOffset = type == FrameType.Batch ? HeaderSize + NumberSize : 0;
        int containerLength = type == FrameType.Batch ? (int)length - NumberSize : 0;
        frame = new Frame(type, number, containerOffset, containerLength);
        consumed = total;
        return FrameError.None;
    }

    private static int WriteNumberFrame(Span<byte> destination, FrameType type, ulong number)
    {
        WriteHeader(destination, type, NumberSize);
        BinaryPrimitives.WriteUInt64BigEndian(destination[HeaderSize..], number);
        return HeaderSize + NumberSize;
    }

    private static void WriteHeader(Span<byte> destination, FrameType type, int payloadLength)
    {
        destination[0] = Magic0;
        destination[1] = Magic1;
        destination[2] = Version;
        destination[3] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)payloadLength);
    }
}
