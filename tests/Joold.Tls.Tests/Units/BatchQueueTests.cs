using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Joold.Plugins.Tls;
using Joold.Plugins.Tls.Protocol;

namespace Joold.Tls.Tests.Units;

public sealed class BatchQueueTests
{
    [Fact]
    public void Batches_are_numbered_from_1_and_leave_only_when_acknowledged()
    {
        var queue = new BatchQueue(capacity: 8);
        for (byte i = 1; i <= 5; i++)
        {
            Assert.True(queue.Enqueue([i, i]));
        }

        Assert.Equal((5, 1UL, 6UL), (queue.Count, queue.FirstSequence, queue.NextSequence));
        Assert.Equal(2, queue.Acknowledge(2));
        Assert.Equal(0, queue.Acknowledge(1));
        Assert.Equal((3, 3UL), (queue.Count, queue.FirstSequence));
        Assert.Equal(-1, queue.Acknowledge(6));
        Assert.Equal(3, queue.Acknowledge(5));
        Assert.Equal((0, 6UL, 6UL), (queue.Count, queue.FirstSequence, queue.NextSequence));
    }

    [Fact]
    public void A_full_queue_drops_its_oldest_batch()
    {
        var queue = new BatchQueue(capacity: 3);
        Assert.True(queue.Enqueue([1]));
        Assert.True(queue.Enqueue([2]));
        Assert.True(queue.Enqueue([3]));
        Assert.False(queue.Enqueue([4]));
        Assert.False(queue.Enqueue([5]));
        Assert.Equal((3, 3UL), (queue.Count, queue.FirstSequence));
        Assert.Equal([(3UL, "03"), (4UL, "04"), (5UL, "05")], Frames(queue, 1).Select(f => (f.Sequence, Convert.ToHexString(f.Container))));
    }

    [Fact]
    public void Frames_resume_from_the_first_batch_still_held_and_stop_where_the_buffer_ends()
    {
        var queue = new BatchQueue(capacity: 100);
        for (int i = 0; i < 10; i++)
        {
            queue.Enqueue(new byte[100]);
        }

        ulong next = 1;
        var room = new byte[(3 * FrameCodec.BatchSize(100)) + 50];
        Assert.Equal(3 * FrameCodec.BatchSize(100), queue.WriteFrames(ref next, room, out int frames));
        Assert.Equal((3, 4UL), (frames, next));

        queue.Acknowledge(6);
        Assert.Equal(3 * FrameCodec.BatchSize(100), queue.WriteFrames(ref next, room, out frames));
        Assert.Equal((3, 10UL), (frames, next));
        queue.WriteFrames(ref next, room, out frames);
        Assert.Equal((1, 11UL), (frames, next));
        Assert.Equal(0, queue.WriteFrames(ref next, room, out frames));
    }

    [Fact]
    public void A_closed_queue_takes_nothing_and_holds_nothing()
    {
        var queue = new BatchQueue(capacity: 4);
        queue.Enqueue([1]);
        queue.Close();
        Assert.Equal(0, queue.Count);
        Assert.False(queue.Enqueue([2]));
        Assert.Equal(0, queue.Count);
    }

    /// <summary>
    /// Against a model: whatever mix of enqueues and acknowledgements, the queue holds the newest unacknowledged
    /// batches (at most its capacity), in order, with their sequence numbers.
    /// </summary>
    [Property(MaxTest = 200)]
    public bool The_queue_behaves_like_a_bounded_list_of_unacknowledged_batches(PositiveInt capacity, int[] operations)
    {
        int limit = Math.Min(capacity.Get, 50);
        var queue = new BatchQueue(limit);
        var model = new List<(ulong Sequence, byte[] Bytes)>();
        ulong next = 1;
        foreach (int operation in operations)
        {
            if (operation >= 0)
            {
                byte[] bytes = BitConverter.GetBytes(operation);
                bool dropped = model.Count == limit;
                if (dropped)
                {
                    model.RemoveAt(0);
                }

                model.Add((next++, bytes));
                if (queue.Enqueue(bytes) == dropped)
                {
                    return false;
                }
            }
            else if (model.Count > 0)
            {
                ulong acknowledged = model[Math.Abs(operation % model.Count)].Sequence;
                int released = model.RemoveAll(b => b.Sequence <= acknowledged);
                if (queue.Acknowledge(acknowledged) != released)
                {
                    return false;
                }
            }
        }

        return Frames(queue, 1).Select(f => (f.Sequence, Convert.ToHexString(f.Container)))
            .SequenceEqual(model.Select(m => (m.Sequence, Convert.ToHexString(m.Bytes))));
    }

    private static List<(ulong Sequence, byte[] Container)> Frames(BatchQueue queue, ulong from)
    {
        var buffer = new byte[1 << 16];
        int length = queue.WriteFrames(ref from, buffer, out _);
        var frames = new List<(ulong, byte[])>();
        for (int offset = 0; offset < length;)
        {
            Assert.Equal(FrameError.None, FrameCodec.TryParse(buffer.AsSpan(offset, length - offset), out var frame, out int consumed));
            frames.Add((frame.Number, buffer[(offset + frame.ContainerOffset)..(offset + frame.ContainerOffset + frame.ContainerLength)]));
            offset += consumed;
        }

        return frames;
    }
}
