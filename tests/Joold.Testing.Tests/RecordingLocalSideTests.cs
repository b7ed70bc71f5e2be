using Joold.Relay;

namespace Joold.Testing.Tests;

public class RecordingLocalSideTests
{
    [Fact]
    public async Task Emitted_batches_go_to_the_writer_in_order_and_delivered_ones_are_recorded()
    {
        var side = new RecordingLocalSide("kernel");
        var writer = new RecordingWriter();
        byte[][] emitted = [TestSessions.Container(1), TestSessions.Garbage(9), TestSessions.Container(3, tag: 1)];
        var running = side.RunAsync(writer, TestContext.Current.CancellationToken);

        foreach (byte[] batch in emitted)
        {
            side.Emit(batch);
        }

        await Eventually.WaitAsync(() => side.EmitResults.Count == 3, "the three answers");
        Assert.Equal(emitted, writer.Batches);
        Assert.Equal([RelayResult.Accepted, RelayResult.Invalid, RelayResult.Accepted], side.EmitResults);

        byte[] delivered = TestSessions.Unique(2);
        Assert.True(await side.SendAsync(new SessionBatch(delivered, SessionSide.Peer), TestContext.Current.CancellationToken));
        await side.WaitForAsync(delivered, "the delivered batch");
        Assert.Equal(SessionSide.Local, side.Side);

        await side.DisposeAsync();
        await running.WithTimeout("RunAsync to end after DisposeAsync");
    }
}
