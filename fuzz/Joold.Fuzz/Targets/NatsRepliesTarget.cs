using System.Buffers;
using Joold.Fuzz.Support;
using Joold.Plugins.Nats;
using Joold.Sessions;

namespace Joold.Fuzz.Targets;

/// <summary>
/// What the Nats plugin reads from the server: JetStream's answer to a publish (<see cref="PubAckDeserializer"/>,
/// which must turn any bytes into a <see cref="PubAck"/>, never throw) and a consumed message's payload
/// (<see cref="BatchBufferDeserializer"/>, then the relay's check). The client hands both over as sequences of one
/// or more segments; the input's first byte chooses where they split, and the answer must not depend on it.
/// </summary>
internal sealed class NatsRepliesTarget : IFuzzTarget
{
    private const string MalformedPrefix = "a malformed reply (";

    public string Name => "nats";

    public string Description => "Nats: JetStream publish answers (PubAck) and consumed payloads, in segments";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        byte[] bytes = input[1..].ToArray();
        var whole = new ReadOnlySequence<byte>(bytes);
        var split = Segments.Split(bytes, 1 + input[0] % 16);

        var answer = PubAckDeserializer.Instance.Deserialize(whole);
        var answerInSegments = PubAckDeserializer.Instance.Deserialize(split);
        FuzzCheck.That(Outcome(answerInSegments) == Outcome(answer), $"the publish answer depends on the segments: {answer} whole, {answerInSegments} in segments");
        FuzzCheck.That(!answer.IsError || answer.Error is not null || answer.ErrorCode != 0, "an error without a reason");

        using var batch = BatchBufferDeserializer.Instance.Deserialize(split);
        FuzzCheck.That(batch.Span.SequenceEqual(bytes), "the consumed payload was not copied whole");
        _ = SessionContainer.Validate(batch.Span);
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        string[] answers =
        [
            """{"stream":"JOOLD","seq":12}""",
            """{"stream":"JOOLD","seq":13,"duplicate":true}""",
            """{"error":{"code":503,"err_code":10077,"description":"no responders"}}""",
            """{"stream":"JOOLD","domain":"hub","seq":18446744073709551615,"duplicate":false,"extra":[1,{"a":null}]}""",
        ];
        foreach (var (text, i) in answers.Select((t, i) => (t, i)))
        {
            yield return ($"puback-{i}", [(byte)(i * 5), .. System.Text.Encoding.UTF8.GetBytes(text)]);
        }

        yield return ("payload", [3, .. new SessionContainerTarget().Seeds().First().Bytes]);
    }

    /// <summary>
    /// The answer without the parser's own words: System.Text.Json quotes the bytes of the segment it stopped in, so
    /// a malformed reply's message may differ with the segments while the outcome is the same.
    /// </summary>
    private static PubAck Outcome(PubAck answer) =>
        answer.Error?.StartsWith(MalformedPrefix, StringComparison.Ordinal) == true ? answer with { Error = MalformedPrefix } : answer;

    /// <summary>A sequence of linked segments of <paramref name="size"/> bytes (the last shorter).</summary>
    private sealed class Segments : ReadOnlySequenceSegment<byte>
    {
        private Segments(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
        {
            if (bytes.Length <= size)
            {
                return new ReadOnlySequence<byte>(bytes);
            }

            var first = new Segments(bytes.AsMemory(0, size), 0);
            var last = first;
            for (int offset = size; offset < bytes.Length; offset += size)
            {
                var next = new Segments(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), offset);
                last.Next = next;
                last = next;
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }
}
