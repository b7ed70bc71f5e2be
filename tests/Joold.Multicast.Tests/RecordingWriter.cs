using Joold.Relay;

namespace Joold.Multicast.Tests;

/// <summary>Stands in for the relay's writer: keeps a copy of every datagram a source hands over.</summary>
internal sealed class RecordingWriter(ISessionBatchWriter? next = null) : ISessionBatchWriter
{
    private readonly List<byte[]> _received = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<byte[]> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _received.Count;
            }
        }
    }

    public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _received.Add(entries.ToArray());
        }

        return next?.WriteAsync(entries, cancellationToken) ?? ValueTask.FromResult(RelayResult.Accepted);
    }

    /// <summary>Waits until a datagram equal to <paramref name="expected"/> arrives.</summary>
    public Task WaitForAsync(byte[] expected, string what) =>
        Joold.Testing.Eventually.WaitAsync(() => Received.Any(r => r.AsSpan().SequenceEqual(expected)), what);
}
