using System.Threading.Channels;
using Joold.Relay;

namespace Joold.Multicast.Tests;

/// <summary>A fake kernel side whose batches the test pushes in, as the kernel's multicasts would come.</summary>
internal sealed class LocalSource : ISessionSource
{
    private readonly Channel<byte[]> _batches = Channel.CreateUnbounded<byte[]>();

    public string Name => "test local source";

    public SessionSide Side => SessionSide.Local;

    public void Push(byte[] batch) => _batches.Writer.TryWrite(batch);

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        await foreach (byte[] batch in _batches.Reader.ReadAllAsync(cancellationToken))
        {
            await writer.WriteAsync(batch, cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
