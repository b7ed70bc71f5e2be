using Joold.Relay;

namespace Joold.Testing.Tests;

public class RecordingWriterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task It_keeps_a_copy_of_each_batch_and_answers_as_the_relay_would()
    {
        var writer = new RecordingWriter();
        byte[] valid = TestSessions.Container(2);
        byte[] garbage = TestSessions.Garbage(50);

        Assert.Equal(RelayResult.Accepted, await writer.WriteAsync(valid, Token));
        Assert.Equal(RelayResult.Invalid, await writer.WriteAsync(garbage, Token));
        valid[10] ^= 0xff;

        Assert.Equal(2, writer.Count);
        Assert.Equal([TestSessions.Container(2), garbage], writer.Batches);
        Assert.True(writer.Contains(garbage));
        await writer.WaitForAsync(garbage, "the garbage");
    }

    [Fact]
    public async Task In_front_of_another_writer_it_passes_the_batch_on_and_returns_its_answer()
    {
        var next = new RecordingWriter();
        next.Hold();
        var writer = new RecordingWriter(next);

        var write = writer.WriteAsync(TestSessions.Garbage(8), Token).AsTask();
        await Eventually.WaitAsync(() => next.Entered == 1, "the next writer to be called");
        Assert.False(write.IsCompleted);
        next.Release();

        Assert.Equal(RelayResult.Invalid, await write.WithTimeout("the write"));
        Assert.Single(next.Batches);
    }

    [Fact]
    public async Task A_held_writer_keeps_the_source_waiting_and_the_probe_tells_what_was_true_on_arrival()
    {
        long acks = 0;
        var writer = new RecordingWriter { Probe = () => Interlocked.Read(ref acks) };
        writer.Hold();
        byte[] batch = TestSessions.Container(1, tag: 7);

        var write = writer.WriteAsync(batch, Token).AsTask();
        await Eventually.WaitAsync(() => writer.Entered == 1, "the write to start");
        Assert.Equal(0, writer.Count);
        Interlocked.Increment(ref acks);
        writer.Release();
        await write.WithTimeout("the held write");

        Assert.Equal(1, writer.ProbeAt(batch));
        Assert.Null(writer.ProbeAt(TestSessions.Container(1, tag: 8)));
    }
}
