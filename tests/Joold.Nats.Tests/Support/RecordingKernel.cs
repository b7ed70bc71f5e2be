using System.Collections.Concurrent;
using System.Threading.Channels;
using Joold.Relay;

namespace Joold.Nats.Tests.Support;

/// <summary>Stands in for the kernel in process: emits the batches a test gives it and records what the relay delivers.</summary>
internal sealed class RecordingKernel(string name) : ISessionSource, ISessionSink
{
    private readonly Channel<byte[]> _toEmit = Channel.CreateUnbounded<byte[]>();

    public string Name { get; } = name;

    public SessionSide Side => SessionSide.Local;

    /// <summary>Batches the relay delivered, each copied, in arrival order.</summary>
    public ConcurrentQueue<byte[]> Received { get; } = new();

    /// <summary>What the relay answered to each emitted batch.</summary>
    public ConcurrentQueue<RelayResult> EmitResults { get; } = new();

    public void Emit(byte[] batch) => _toEmit.Writer.TryWrite(batch);

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        await foreach (byte[] batch in _toEmit.Reader.ReadAllAsync(cancellationToken))
        {
            EmitResults.Enqueue(await writer.WriteAsync(batch, cancellationToken));
        }
    }

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        Received.Enqueue(batch.Entries.ToArray());
        return ValueTask.FromResult(true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
