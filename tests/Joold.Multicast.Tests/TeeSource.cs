using Joold.Relay;
using Joold.Testing;

namespace Joold.Multicast.Tests;

/// <summary>Wraps a source so the test sees exactly what it hands to the relay's writer.</summary>
internal sealed class TeeSource(ISessionSource inner) : ISessionSource
{
    private RecordingWriter? _recorder;

    public RecordingWriter Recorder => _recorder ?? throw new InvalidOperationException("Not running yet.");

    public string Name => inner.Name;

    public SessionSide Side => inner.Side;

    public ValueTask StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        _recorder = new RecordingWriter(writer);
        return inner.RunAsync(_recorder, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
