using System.Threading.Tasks.Sources;
using Joold.Relay;

namespace Joold.Benchmarks;

/// <summary>
/// A peer sink that accepts every batch and lets the benchmark wait for a delivery count. It completes each send
/// either at once, or later on a thread-pool thread through a reusable value-task source, as a socket send that
/// has to wait does; neither way allocates.
/// </summary>
internal sealed class NoOpPeerSink(bool completeAsynchronously) : ISessionSink, IValueTaskSource<bool>, IThreadPoolWorkItem
{
    private ManualResetValueTaskSourceCore<bool> _pending;
    private long _delivered;

    public string Name => "no-op peer";

    public SessionSide Side => SessionSide.Peer;

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        if (!completeAsynchronously)
        {
            Interlocked.Increment(ref _delivered);
            return ValueTask.FromResult(batch.Entries.Length > 0);
        }

        _pending.Reset();
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        return new ValueTask<bool>(this, _pending.Version);
    }

    void IThreadPoolWorkItem.Execute()
    {
        Interlocked.Increment(ref _delivered);
        _pending.SetResult(true);
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _pending.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    /// <summary>Spins (never sleeps: that would measure the scheduler) until <paramref name="count"/> batches arrived.</summary>
    public void WaitFor(long count)
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _delivered) < count)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
