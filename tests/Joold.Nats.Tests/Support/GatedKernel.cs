using System.Collections.Concurrent;
using Joold.Relay;

namespace Joold.Nats.Tests.Support;

/// <summary>A kernel sink that takes nothing until the test opens its gate: a kernel side that lags.</summary>
internal sealed class GatedKernel : ISessionSink
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "gated kernel";

    public SessionSide Side => SessionSide.Local;

    public ConcurrentQueue<byte[]> Received { get; } = new();

    public void Open() => _gate.TrySetResult();

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        Received.Enqueue(batch.Entries.ToArray());
        return true;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
