namespace Joold.Relay;

/// <summary>Given by the relay to each source: where the source hands its batches.</summary>
public interface ISessionBatchWriter
{
    /// <summary>
    /// Validates the container, counts it and queues a copy for every sink of the other side. When the returned
    /// task completes the relay holds its own copy, so the caller may reuse <paramref name="entries"/> (and, for
    /// the kernel, send its ACK).
    /// </summary>
    ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken);
}
