using Joold.Relay;

namespace Joold.Ops.Tests.Support;

/// <summary>A source driven by the test: its receive loop hands out the relay's writer, then waits for the stop.</summary>
internal sealed class TestSource(SessionSide side) : ISessionSource
{
    private readonly TaskCompletionSource<ISessionBatchWriter> _writer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "test source";

    public SessionSide Side => side;

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        _writer.TrySetResult(writer);
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public Task<ISessionBatchWriter> Writer => _writer.Task;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
