using Joold.Relay;
using Joold.Stats;
using Joold.Testing;

namespace Joold.Transports.Conformance;

/// <summary>The component rules of <see cref="IJooldComponent"/>, <see cref="ISessionSource"/> and <see cref="ISessionSink"/>.</summary>
public abstract partial class TransportConformanceTests
{
    [Fact]
    public async Task A_second_start_is_a_no_op_that_completes_at_once()
    {
        var (a, b) = await StartPairAsync();
        var before = ProcessResources.Take();

        foreach (var component in b.Node.Components)
        {
            var again = component.StartAsync(Token);
            Assert.True(again.IsCompletedSuccessfully, $"a second start of {component.Name} did not complete at once");
        }

        Assert.Equal(before.Sockets, ProcessResources.Take().Sockets);
        await CrossAsync(a, b, ConformanceBatches.Valid(3), "a batch at B after its second start");
    }

    [Fact]
    public async Task A_start_after_dispose_throws_ObjectDisposedException()
    {
        var started = NewNode(NodeName.A, new JooldCounters());
        await started.StartAsync(Token);
        await started.DisposeAsync();
        var neverStarted = NewNode(NodeName.B, new JooldCounters());
        await neverStarted.DisposeAsync();

        foreach (var component in started.Components.Concat(neverStarted.Components))
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => component.StartAsync(Token).AsTask());
        }
    }

    [Fact]
    public async Task A_send_before_start_or_after_dispose_returns_false_without_throwing()
    {
        var node = NewNode(NodeName.A, new JooldCounters());
        var batch = new SessionBatch(ConformanceBatches.Valid(1), SessionSide.Local);

        Assert.False(await Deadline.WaitAsync(node.Sink.SendAsync(batch, Token), "a send before start"));
        await node.StartAsync(Token);
        await node.DisposeAsync();
        Assert.False(await Deadline.WaitAsync(node.Sink.SendAsync(batch, Token), "a send after dispose"));
    }

    [Fact]
    public async Task A_run_before_start_throws_InvalidOperationException()
    {
        var counters = new JooldCounters();
        var node = NewNode(NodeName.A, counters);

        await Assert.ThrowsAsync<InvalidOperationException>(() => node.Source.RunAsync(new ProbeWriter(counters), Token));
    }

    [Fact]
    public async Task Dispose_is_idempotent_with_or_without_a_start()
    {
        var neverStarted = NewNode(NodeName.A, new JooldCounters());
        await neverStarted.DisposeAsync();
        await neverStarted.DisposeAsync();

        var running = await StartAsync(NodeName.B);
        await running.Node.DisposeAsync();
        await running.Node.DisposeAsync();
        await running.StopAsync();

        Assert.True(running.Run.IsCompletedSuccessfully || running.Run.IsCanceled, $"the run ended {running.Run.Status}");
    }

    [Fact]
    public async Task A_failed_start_leaves_the_node_unstarted_and_owning_nothing()
    {
        var counters = new JooldCounters();
        var node = CreateNodeThatCannotStart(counters);
        _nodes.Add(node);
        var baseline = ProcessResources.Take();

        var error = await Record.ExceptionAsync(() => node.StartAsync(Token).AsTask());

        Assert.NotNull(error);
        Assert.IsNotType<ObjectDisposedException>(error);
        await ProcessResources.WaitUntilBackToAsync(baseline, "what the failed start opened to be closed");
        Assert.False(await node.Sink.SendAsync(new SessionBatch(ConformanceBatches.Valid(1), SessionSide.Local), Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => node.Source.RunAsync(new ProbeWriter(counters), Token));

        // Still unstarted: a second start tries again (and fails again) instead of doing nothing.
        Assert.NotNull(await Record.ExceptionAsync(() => node.StartAsync(Token).AsTask()));
    }
}
