using Joold.Relay;
using Joold.Testing;

namespace Joold.Core.Tests.Relay;

/// <summary>
/// A source driven by the test: it hands out the relay's writer and then waits for the stop, or fails on demand.
/// </summary>
internal sealed class FakeSource(string name, SessionSide side, Exception? failOnRun = null) : ISessionSource
{
    private readonly TaskCompletionSource<ISessionBatchWriter> _writer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sawStop;

    public string Name { get; } = name;

    public SessionSide Side { get; } = side;

    /// <summary>Whether the relay's stop reached <see cref="RunAsync"/>.</summary>
    public bool SawStop => Volatile.Read(ref _sawStop) == 1;

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        if (failOnRun is not null)
        {
            throw failOnRun;
        }

        _writer.TrySetResult(writer);
        try
        {
            await _failure.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Volatile.Write(ref _sawStop, 1);
            throw;
        }
    }

    /// <summary>The writer the relay gave this source, once its receive loop runs.</summary>
    public Task<ISessionBatchWriter> GetWriterAsync() => _writer.Task.WithTimeout($"the relay to run source '{Name}'");

    /// <summary>Writes a batch as the source's receive loop would.</summary>
    public async Task<RelayResult> WriteAsync(byte[] entries) =>
        await (await GetWriterAsync()).WriteAsync(entries, TestContext.Current.CancellationToken);

    /// <summary>Makes the running receive loop end with <paramref name="error"/>.</summary>
    public void Fail(Exception error) => _failure.TrySetException(error);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
