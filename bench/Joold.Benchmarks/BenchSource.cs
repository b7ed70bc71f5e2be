using Joold.Relay;

namespace Joold.Benchmarks;

/// <summary>A local source that hands its writer to the benchmark and waits for the relay to stop.</summary>
internal sealed class BenchSource : ISessionSource
{
    private readonly TaskCompletionSource<ISessionBatchWriter> _writer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "benchmark kernel";

    public SessionSide Side => SessionSide.Local;

    public Task<ISessionBatchWriter> Writer => _writer.Task;

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        _writer.TrySetResult(writer);
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
