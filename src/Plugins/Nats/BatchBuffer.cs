using System.Buffers;
using NATS.Client.Core;

namespace Joold.Plugins.Nats;

/// <summary>
/// A consumed message's payload in a buffer of the plugin's own pool. The client reads messages on its socket
/// thread and the relay takes them on the consumer's, and the shared pool's per-thread caches miss when buffers
/// cross threads that way (a fresh array per message); this pool has no per-thread cache.
/// </summary>
internal readonly struct BatchBuffer(byte[]? array, int length) : IDisposable
{
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 1 << 20, maxArraysPerBucket: 1024);

    public int Length => length;

    public ReadOnlyMemory<byte> Memory => array is null ? ReadOnlyMemory<byte>.Empty : array.AsMemory(0, length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    public static BatchBuffer CopyOf(in ReadOnlySequence<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return default;
        }

        byte[] array = Pool.Rent((int)payload.Length);
        payload.CopyTo(array);
        return new BatchBuffer(array, (int)payload.Length);
    }

    public void Dispose()
    {
        if (array is not null)
        {
            Pool.Return(array);
        }
    }
}

/// <summary>Copies each consumed payload into a <see cref="BatchBuffer"/>.</summary>
internal sealed class BatchBufferDeserializer : INatsDeserialize<BatchBuffer>
{
    public static readonly BatchBufferDeserializer Instance = new();

    public BatchBuffer Deserialize(in ReadOnlySequence<byte> buffer) => BatchBuffer.CopyOf(buffer);
}
