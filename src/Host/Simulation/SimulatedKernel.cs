using System.Collections.Concurrent;
using System.Threading.Channels;
using Joold.Relay;
using Joold.Sessions;

namespace Joold.Host.Simulation;

/// <summary>
/// An in-process stand-in for the Jool kernel module: a local source that emits the batches it is given, and a
/// local sink that records every batch it receives. Used by the demo and by tests; the real kernel speaks netlink.
/// </summary>
public sealed class SimulatedKernel(string name) : ISessionSource, ISessionSink
{
    private readonly Channel<byte[]> _pending = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentQueue<byte[]> _received = new();
    private long _emittedBatches;
    private long _emittedSessions;
    private long _receivedSessions;
    private int _discardNext;

    public string Name => $"simulated kernel {name}";

    public SessionSide Side => SessionSide.Local;

    /// <summary>Batches the relay accepted from this kernel.</summary>
    public long EmittedBatches => Interlocked.Read(ref _emittedBatches);

    public long EmittedSessions => Interlocked.Read(ref _emittedSessions);

    /// <summary>Sessions that reached this kernel from peers.</summary>
    public long ReceivedSessions => Interlocked.Read(ref _receivedSessions);

    /// <summary>Every batch received, in arrival order.</summary>
    public IReadOnlyCollection<byte[]> ReceivedBatches => _received;

    /// <summary>The relay's verdict on each emitted batch, in order.</summary>
    public ConcurrentQueue<RelayResult> Results { get; } = new();

    /// <summary>Queues one container to be multicast, as the kernel does when it flushes its joold queue.</summary>
    public void Emit(byte[] container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _pending.Writer.TryWrite(container);
    }

    /// <summary>Loses the next received batch: a way for tests to prove that a loss is noticed.</summary>
    public void DiscardNextReceived() => Interlocked.Increment(ref _discardNext);

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await foreach (byte[] container in _pending.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var result = await writer.WriteAsync(container, cancellationToken).ConfigureAwait(false);
            Results.Enqueue(result);
            if (result == RelayResult.Accepted)
            {
                Interlocked.Increment(ref _emittedBatches);
                Interlocked.Add(ref _emittedSessions, container.Length / SessionContainer.EntrySize);
            }
        }
    }

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _discardNext) > 0 && Interlocked.Decrement(ref _discardNext) >= 0)
        {
            return ValueTask.FromResult(true);
        }

        _received.Enqueue(batch.Entries.ToArray());
        Interlocked.Add(ref _receivedSessions, batch.SessionCount);
        return ValueTask.FromResult(true);
    }

    public ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
