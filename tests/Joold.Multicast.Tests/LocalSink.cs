using Joold.Relay;

namespace Joold.Multicast.Tests;

/// <summary>A fake kernel side that records what the relay delivers to it.</summary>
internal sealed class LocalSink : ISessionSink
{
    private readonly List<byte[]> _delivered = [];
    private readonly Lock _lock = new();

    public string Name => "recording local sink";

    public SessionSide Side => SessionSide.Local;

    public IReadOnlyList<byte[]> Delivered
    {
        get
        {
            lock (_lock)
            {
                return [.. _delivered];
            }
        }
    }

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _delivered.Add(batch.Entries.ToArray());
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
