using Joold.Relay;

namespace Joold.Ops.BlockingSink;

/// <summary>
/// A peer sink that breaks rule 3 on purpose: <see cref="SendAsync"/> blocks the calling thread until the sink is
/// disposed. An idle sink pump runs on the source's receive thread, so the first batch stalls the source.
/// </summary>
public sealed class BlockingSink : ISessionSink
{
    private readonly ManualResetEventSlim _released = new();

    public string Name => "blocking sink";

    public SessionSide Side => SessionSide.Peer;

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("blocking sink: blocking the caller's thread");
        _released.Wait(CancellationToken.None);
        return ValueTask.FromResult(false);
    }

    public ValueTask DisposeAsync()
    {
        _released.Set();
        return ValueTask.CompletedTask;
    }
}
