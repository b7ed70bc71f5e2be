using Joold.Relay;

namespace Joold.Core.Tests.Relay;

/// <summary>One object registered as both a peer source and a peer sink, as a network plugin does.</summary>
internal sealed class FakeTransport(string name) : ISessionSource, ISessionSink
{
    public FakeSource Source { get; } = new(name, SessionSide.Peer);

    public FakeSink Sink { get; } = new(name, SessionSide.Peer);

    public string Name => name;

    public SessionSide Side => SessionSide.Peer;

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken) => Source.RunAsync(writer, cancellationToken);

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken) => Sink.SendAsync(batch, cancellationToken);

    public ValueTask DisposeAsync() => Sink.DisposeAsync();
}
