using System.Collections.Concurrent;
using Joold.Relay;
using Joold.Sessions;

namespace Joold.Tls.Tests.Support;

/// <summary>Stands in for the relay: keeps a copy of every batch a source writes, in order.</summary>
public sealed class RecordingWriter : ISessionBatchWriter
{
    private readonly ConcurrentQueue<byte[]> _batches = new();

    public IReadOnlyList<byte[]> Batches => [.. _batches];

    public int Count => _batches.Count;

    public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
    {
        _batches.Enqueue(entries.ToArray());
        return ValueTask.FromResult(SessionContainer.Validate(entries.Span).IsValid ? RelayResult.Accepted : RelayResult.Invalid);
    }
}
