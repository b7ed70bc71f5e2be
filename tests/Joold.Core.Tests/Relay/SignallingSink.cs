using System.Threading.Tasks.Sources;
using Joold.Relay;

namespace Joold.Core.Tests.Relay;

/// <summary>
/// A deterministic, allocation-free peer sink for the allocation tests. It completes each send either at once or
/// later on a thread-pool thread (a reusable <see cref="IValueTaskSource{TResult}"/>, as a socket's send does), and
/// releases <see cref="Delivered"/> once per batch so the writer can wait without polling. Completing a send runs
/// the relay's continuation on the completing thread; what that allocates is counted in
/// <see cref="AllocatedByContinuations"/>, since the writer's thread cannot see it.
/// </summary>
internal sealed class SignallingSink(bool completeAsynchronously) : ISessionSink, IValueTaskSource<bool>, IThreadPoolWorkItem, IDisposable
{
    private ManualResetValueTaskSourceCore<bool> _pending;
    private long _bytes;
    private long _allocatedByContinuations;

    public string Name => completeAsynchronously ? "asynchronous peer" : "synchronous peer";

    public SessionSide Side => SessionSide.Peer;

    public SemaphoreSlim Delivered { get; } = new(0);

    /// <summary>The sum of every batch's length, so the sink really reads what it gets.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Bytes the thread completing a send allocated while the relay's continuation ran on it.</summary>
    public long AllocatedByContinuations => Interlocked.Read(ref _allocatedByContinuations);

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _bytes, batch.Entries.Span.Length);
        if (!completeAsynchronously)
        {
            Delivered.Release();
            return new ValueTask<bool>(true);
        }

        _pending.Reset();
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return new ValueTask<bool>(this, _pending.Version);
    }

    void IThreadPoolWorkItem.Execute()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        _pending.SetResult(true);
        Interlocked.Add(ref _allocatedByContinuations, GC.GetAllocatedBytesForCurrentThread() - before);
        Delivered.Release();
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose() => Delivered.Dispose();
}
