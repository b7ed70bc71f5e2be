using Joold.Relay;

namespace Joold.Transports.Conformance;

/// <summary>Batches cross unchanged, whole, once, in order, whatever the relay's pace and thread.</summary>
public abstract partial class TransportConformanceTests
{
    [Theory]
    [InlineData(BatchShape.OneEntry)]
    [InlineData(BatchShape.KernelBatch)]
    [InlineData(BatchShape.Largest)]
    public async Task A_batch_crosses_unchanged_in_both_directions(BatchShape shape)
    {
        var (a, b) = await StartPairAsync();
        byte[] toB = ConformanceBatches.Of(shape, Capabilities);
        byte[] toA = ConformanceBatches.Of(shape, Capabilities);

        await CrossAsync(a, b, toB, $"a {toB.Length}-byte batch at B");
        await CrossAsync(b, a, toA, $"a {toA.Length}-byte batch at A");

        Assert.Equal([toB], b.Received!.Forwarded);
        Assert.Equal([toA], a.Received!.Forwarded);
        Assert.Equal(0, a.Counters.GetSnapshot().InvalidPeer + b.Counters.GetSnapshot().InvalidPeer);
    }

    [Fact]
    public async Task Batches_sent_back_to_back_all_arrive_once_and_in_order()
    {
        var (a, b) = await StartPairAsync();
        byte[][] batches = [.. Enumerable.Range(0, 64).Select(i => ConformanceBatches.Valid(1 + (i % 36)))];

        foreach (byte[] batch in batches)
        {
            Assert.True(await a.SendAsync(batch, Token));
        }

        await b.Received!.WaitForAsync(batches[^1], "the last of 64 batches at B");
        Assert.Equal(batches, b.Received.Forwarded);
    }

    [Fact]
    public async Task Batches_arrive_unchanged_when_the_relay_takes_its_time()
    {
        var (a, b) = await StartPairAsync();

        // The relay completes each write later, on another thread: the source must not touch the batch's memory
        // (receive into it again) before then.
        b.Received!.BeforeTaking = static async (_, _) => await Task.Yield();
        byte[][] batches = [.. Enumerable.Range(0, 20).Select(i => ConformanceBatches.Valid(36 - i))];
        foreach (byte[] batch in batches)
        {
            Assert.True(await a.SendAsync(batch, Token));
        }

        await b.Received.WaitForAsync(batches[^1], "the last of 20 batches at B");
        Assert.Equal(batches, b.Received.Forwarded);
    }

    [Fact]
    public async Task A_send_from_the_receive_thread_goes_out_and_receiving_goes_on()
    {
        var (a, b) = await StartPairAsync();
        byte[][] requests = [.. Enumerable.Range(0, 10).Select(_ => ConformanceBatches.Valid(2))];
        byte[][] replies = [.. Enumerable.Range(0, 10).Select(_ => ConformanceBatches.Valid(3))];
        var replySends = new List<Task<bool>>();
        int next = 0;

        // As the relay's idle pump does: B's sink sends while B's source is inside WriteAsync, on its thread.
        b.Received!.BeforeTaking = (_, cancellationToken) =>
        {
            var send = b.Node.Sink.SendAsync(new SessionBatch(replies[next++], SessionSide.Local), cancellationToken);
            replySends.Add(send.AsTask());
            return ValueTask.CompletedTask;
        };
        foreach (byte[] request in requests)
        {
            await CrossAsync(a, b, request, "a request at B");
        }

        await a.Received!.WaitForAsync(replies[^1], "the last reply at A");
        Assert.Equal(requests, b.Received.Forwarded);
        Assert.Equal(replies, a.Received.Forwarded);
        Assert.All(await Task.WhenAll(replySends), sent => Assert.True(sent));
    }
}
