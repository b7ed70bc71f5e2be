using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Joold.Plugins.Tls.Protocol;

namespace Joold.Tls.Tests.Protocol;

public sealed class FrameCodecTests
{
    [Fact]
    public void Frames_have_the_documented_bytes()
    {
        var buffer = new byte[64];
        Assert.Equal(16, FrameCodec.WriteHello(buffer, 0x0102030405060708));
        Assert.Equal("4A540101000000080102030405060708", Convert.ToHexString(buffer, 0, 16));
        Assert.Equal(16, FrameCodec.WriteAck(buffer, 258));
        Assert.Equal("4A540103000000080000000000000102", Convert.ToHexString(buffer, 0, 16));
        Assert.Equal(8, FrameCodec.WritePing(buffer));
        Assert.Equal("4A54010400000000", Convert.ToHexString(buffer, 0, 8));
        Assert.Equal(19, FrameCodec.WriteBatch(buffer, 7, [0xAA, 0xBB, 0xCC]));
        Assert.Equal("4A5401020000000B0000000000000007AABBCC", Convert.ToHexString(buffer, 0, 19));
    }

    [Property(MaxTest = 300)]
    public bool A_batch_frame_round_trips_with_its_sequence_and_container(ulong sequence, NonEmptyArray<byte> container)
    {
        byte[] payload = container.Get.Length > FrameCodec.MaxContainer ? container.Get[..FrameCodec.MaxContainer] : container.Get;
        var buffer = new byte[FrameCodec.BatchSize(payload.Length)];
        int written = FrameCodec.WriteBatch(buffer, sequence, payload);
        var error = FrameCodec.TryParse(buffer, out var frame, out int consumed);
        return written == buffer.Length
            && error == FrameError.None
            && consumed == written
            && frame.Type == FrameType.Batch
            && frame.Number == sequence
            && buffer.AsSpan(frame.ContainerOffset, frame.ContainerLength).SequenceEqual(payload);
    }

    [Property(MaxTest = 200)]
    public bool Any_sequence_of_frames_parses_back_in_order_from_any_split(ulong[] numbers, byte[] seed, PositiveInt splitEvery)
    {
        // Build HELLO, BATCH, ACK, PING frames in turn, then feed the bytes in pieces as TCP might deliver them.
        var stream = new List<byte>();
        var expected = new List<(FrameType, ulong, byte[])>();
        var buffer = new byte[FrameCodec.MaxFrame];
        for (int i = 0; i < numbers.Length; i++)
        {
            var type = (FrameType)((i % 4) + 1);
            byte[] container = type == FrameType.Batch ? [.. seed, (byte)i] : [];
            int length = type switch
            {
                FrameType.Hello => FrameCodec.WriteHello(buffer, numbers[i]),
                FrameType.Batch => FrameCodec.WriteBatch(buffer, numbers[i], container),
                FrameType.Ack => FrameCodec.WriteAck(buffer, numbers[i]),
                _ => FrameCodec.WritePing(buffer),
            };
            stream.AddRange(buffer[..length]);
            expected.Add((type, type == FrameType.Ping ? 0 : numbers[i], container));
        }

        var parsed = new List<(FrameType, ulong, byte[])>();
        var pending = new List<byte>();
        foreach (var piece in stream.Chunk(splitEvery.Get))
        {
            pending.AddRange(piece);
            while (true)
            {
                byte[] bytes = [.. pending];
                if (FrameCodec.TryParse(bytes, out var frame, out int consumed) != FrameError.None)
                {
                    return false;
                }

                if (consumed == 0)
                {
                    break;
                }

                parsed.Add((frame.Type, frame.Number, bytes[frame.ContainerOffset..(frame.ContainerOffset + frame.ContainerLength)]));
                pending.RemoveRange(0, consumed);
            }
        }

        return pending.Count == 0
            && parsed.Count == expected.Count
            && parsed.Zip(expected).All(p => p.First.Item1 == p.Second.Item1 && p.First.Item2 == p.Second.Item2 && p.First.Item3.SequenceEqual(p.Second.Item3));
    }

    [Property(MaxTest = 500)]
    public bool Random_bytes_never_throw_and_never_claim_more_than_they_have(byte[] bytes)
    {
        var error = FrameCodec.TryParse(bytes, out var frame, out int consumed);
        return error != FrameError.None
            ? consumed == 0
            : consumed == 0 || (consumed <= bytes.Length && frame.ContainerOffset + frame.ContainerLength <= consumed);
    }

    [Theory]
    [InlineData("4B540101000000080000000000000001", FrameError.BadMagic)]
    [InlineData("4A", FrameError.None)]
    [InlineData("4B", FrameError.BadMagic)]
    [InlineData("4A55", FrameError.BadMagic)]
    [InlineData("4A5402", FrameError.BadVersion)]
    [InlineData("4A540201000000080000000000000001", FrameError.BadVersion)]
    [InlineData("4A540100000000080000000000000001", FrameError.UnknownType)]
    [InlineData("4A540105000000000000000000000001", FrameError.UnknownType)]
    [InlineData("4A540101000000070000000000000001", FrameError.BadLength)]
    [InlineData("4A540103000000090000000000000001", FrameError.BadLength)]
    [InlineData("4A540104000000010000000000000001", FrameError.BadLength)]
    [InlineData("4A540102000000080000000000000001", FrameError.BadLength)]
    [InlineData("4A54010200010009", FrameError.Oversized)]
    [InlineData("4A540102FFFFFFFF", FrameError.Oversized)]
    public void Malformed_headers_are_recognised_before_any_payload_is_awaited(string hex, FrameError expected)
    {
        var error = FrameCodec.TryParse(Convert.FromHexString(hex), out _, out int consumed);
        Assert.Equal(expected, error);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void The_largest_batch_is_accepted_and_one_byte_more_is_oversized()
    {
        var buffer = new byte[FrameCodec.MaxFrame];
        int written = FrameCodec.WriteBatch(buffer, 1, new byte[FrameCodec.MaxContainer]);
        Assert.Equal(FrameCodec.MaxFrame, written);
        Assert.Equal(FrameError.None, FrameCodec.TryParse(buffer, out var frame, out int consumed));
        Assert.Equal((FrameCodec.MaxFrame, FrameCodec.MaxContainer), (consumed, frame.ContainerLength));

        buffer[7]++;
        Assert.Equal(FrameError.Oversized, FrameCodec.TryParse(buffer, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameCodec.WriteBatch(new byte[FrameCodec.MaxFrame + 1], 1, new byte[FrameCodec.MaxContainer + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameCodec.WriteBatch(buffer, 1, []));
    }

    [Fact]
    public void A_partial_frame_asks_for_more_bytes()
    {
        var buffer = new byte[32];
        int written = FrameCodec.WriteBatch(buffer, 9, [1, 2, 3, 4]);
        for (int cut = 0; cut < written; cut++)
        {
            Assert.Equal(FrameError.None, FrameCodec.TryParse(buffer.AsSpan(0, cut), out _, out int consumed));
            Assert.Equal(0, consumed);
        }
    }
}
