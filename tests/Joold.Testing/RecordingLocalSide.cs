using System.Collections.Concurrent;
using System.Threading.Channels;
using Joold.Relay;

namespace Joold.Testing;

/// <summary>
/// Stands in for the kernel beside a real relay: a local source that emits the batches a test gives it, and a
/// local sink that records what the relay delivers.
/// </summary>
public sealed class RecordingLocalSide(string name = "recording local side") : ISessionSource, ISessionSink
{
    private readonly Channel<byte[]> _toEmit = Channel.CreateUnbounded<byte[]>();

    public string Name { get; } = name;

    public SessionSide Side => SessionSide.Local;

    /// <summary>Batches the relay delivered, each copied, in arrival order.</summary>
    public ConcurrentQueue<byte[]> Received { get; } = new();

    /// <summary>What the relay answered to each emitted batch, in order.</summary>
    public ConcurrentQueue<RelayResult> EmitResults { get; } = new();

    /// <summary>Queues <paramref name="batch"/> for the relay, as a kernel multicast would come.</summary>
    public void Emit(byte[] batch) => _toEmit.Writer.TryWrite(batch);

    /// <summary>Waits until a batch equal to <paramref name="expected"/> was delivered.</summary>
    public Task WaitForAsync(byte[] expected, string what, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => Received.Any(r => r.AsSpan().SequenceEqual(expected)), what, timeout);

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await foreach (byte[] batch in _toEmit.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            EmitResults.Enqueue(await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false));
        }
    }

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        Received.Enqueue(batch.Entries.ToArray());
        return ValueTask.FromResult(true);
    }

    public ValueTask DisposeAsync()
    {
        _toEmit.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
