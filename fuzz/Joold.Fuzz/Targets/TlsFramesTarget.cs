using Joold.Fuzz.Support;
using Joold.Plugins.Tls;
using Joold.Plugins.Tls.Protocol;
using Joold.Sessions;

namespace Joold.Fuzz.Targets;

/// <summary>
/// What a Tls peer sends after the handshake, parsed as <c>Connection</c> parses it: <see cref="FrameCodec.TryParse"/>
/// over a read buffer of the connection's size that TCP fills in pieces (the input's first byte chooses their
/// sizes), the HELLO exchange first, then the read loop's frames, compaction and ACKs against a real
/// <see cref="BatchQueue"/>. Frames must come out the same however the bytes arrive, stay inside the buffer, and a
/// frame the buffer cannot hold must be refused by its header, or the connection would wait forever.
/// </summary>
internal sealed class TlsFramesTarget : IFuzzTarget
{
    /// <summary>Connection.ReadBufferSize.</summary>
    private const int ReadBufferSize = 2 * FrameCodec.MaxFrame;

    private const int QueuedBatches = 5;

    private static readonly byte[] Batch = new SessionContainerTarget().Seeds().First().Bytes;

    private readonly byte[] _buffer = new byte[ReadBufferSize];
    private readonly List<Frame> _whole = [];
    private readonly List<Frame> _pieces = [];

    public string Name => "tls";

    public string Description => "Tls frame parsing as the connection reads (HELLO, then batches, ACKs, PINGs)";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        int pieceSeed = input[0];
        var stream = input[1..];
        var wholeEnd = Read(stream, stream.Length, _whole);
        var piecesEnd = Read(stream, 1 + (pieceSeed % 64) * (pieceSeed % 3 == 0 ? 1 : 97), _pieces);
        FuzzCheck.That(wholeEnd == piecesEnd, $"the stream ends {wholeEnd} in one read but {piecesEnd} in pieces");
        FuzzCheck.That(_whole.SequenceEqual(_pieces), "frames differ with how the bytes arrived");
    }

    /// <summary>The connection's reading, from the HELLO to the first protocol error or the end of the stream.</summary>
    private string Read(ReadOnlySpan<byte> stream, int pieceSize, List<Frame> frames)
    {
        frames.Clear();
        var queue = new BatchQueue(capacity: 16);
        for (int i = 0; i < QueuedBatches; i++)
        {
            queue.Enqueue(Batch);
        }

        int filled = 0;
        int taken = 0;
        bool helloSeen = false;
        while (true)
        {
            int offset = 0;
            while (true)
            {
                var error = FrameCodec.TryParse(_buffer.AsSpan(offset, filled - offset), out var frame, out int consumed);
                if (error != FrameError.None)
                {
                    return $"error {error}";
                }

                if (consumed == 0)
                {
                    break;
                }

                FuzzCheck.That(consumed >= FrameCodec.HeaderSize && consumed <= filled - offset, "a frame larger than the bytes read");
                FuzzCheck.That(frame.Type != FrameType.Batch || (frame.ContainerLength is > 0 and <= FrameCodec.MaxContainer && frame.ContainerOffset + frame.ContainerLength == consumed), "a batch's container outside its frame");
                frames.Add(frame);
                offset += consumed;
                if (!helloSeen)
                {
                    if (frame.Type != FrameType.Hello || frame.Number == 0)
                    {
                        return "refused first frame";
                    }

                    helloSeen = true;
                    continue;
                }

                switch (frame.Type)
                {
                    case FrameType.Hello:
                        return "second HELLO";
                    case FrameType.Batch:
                        _ = SessionContainer.Validate(_buffer.AsSpan(offset - consumed + frame.ContainerOffset, frame.ContainerLength));
                        break;
                    case FrameType.Ack:
                        int before = queue.Count;
                        int released = queue.Acknowledge(frame.Number);
                        if (released < 0)
                        {
                            return "ACK of a batch never sent";
                        }

                        FuzzCheck.That(released <= before && queue.Count == before - released, "an ACK released what was not queued");
                        break;
                }
            }

            Buffer.BlockCopy(_buffer, offset, _buffer, 0, filled - offset);
            filled -= offset;
            if (taken == stream.Length)
            {
                return $"end with {filled} bytes pending";
            }

            // The connection reads into what is left of its buffer; a full buffer with no whole frame would read 0
            // bytes, which it takes for the peer closing.
            FuzzCheck.That(filled < _buffer.Length, "the read buffer is full and holds no whole frame");
            int read = Math.Min(Math.Min(pieceSize, stream.Length - taken), _buffer.Length - filled);
            stream.Slice(taken, read).CopyTo(_buffer.AsSpan(filled));
            taken += read;
            filled += read;
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        byte[] frames = new byte[256];
        int length = FrameCodec.WriteHello(frames, 0x1234_5678_9ABC_DEF0);
        int afterHello = length;
        length += FrameCodec.WriteBatch(frames.AsSpan(length), 1, Batch);
        length += FrameCodec.WriteAck(frames.AsSpan(length), 3);
        length += FrameCodec.WritePing(frames.AsSpan(length));
        yield return ("hello-batch-ack-ping", [1, .. frames[..length]]);
        yield return ("hello-only-in-pieces", [5, .. frames[..afterHello]]);
        yield return ("ack-all", [3, .. frames[..afterHello], .. frames[(length - 24)..(length - 8)]]);
    }
}
