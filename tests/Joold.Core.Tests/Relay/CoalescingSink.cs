using System.Collections.Concurrent;
using Joold.Relay;

namespace Joold.Core.Tests.Relay;

/// <summary>A local sink that takes coalesced bursts of up to <paramref name="maxLength"/> bytes and records each batch.</summary>
internal sealed class CoalescingSink(int maxLength, bool delivers = true) : ICoalescingSessionSink
{
    private readonly ConcurrentQueue<byte[]> _received = new();

    public string Name => "coalescing kernel";

    public SessionSide Side => SessionSide.Local;

    public int MaxCoalescedLength => maxLength;

    public IReadOnlyList<byte[]> Received => [.. _received];

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        _received.Enqueue(batch.Entries.ToArray());
        return new ValueTask<bool>(delivers);
    }

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
