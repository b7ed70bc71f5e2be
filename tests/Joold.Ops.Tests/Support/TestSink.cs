using Joold.Relay;

namespace Joold.Ops.Tests.Support;

/// <summary>
/// A peer sink whose sends wait until <see cref="Release"/>: asynchronously (a pending task, as a socket that waits),
/// or, with <c>blockThread</c>, by blocking the caller's thread, as a broken plugin would. While
/// <see cref="PassThrough"/> is set, sends complete at once.
/// </summary>
internal sealed class TestSink(bool blockThread) : ISessionSink
{
    private readonly ManualResetEventSlim _released = new();
    private readonly TaskCompletionSource _releasedAsync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;
    private int _lastThreadId;
    private volatile bool _passThrough;

    public string Name => "test sink";

    public SessionSide Side => SessionSide.Peer;

    public int Entered => Volatile.Read(ref _entered);

    /// <summary>The managed thread the last send ran on.</summary>
    public int LastThreadId => Volatile.Read(ref _lastThreadId);

    /// <summary>Whether sends complete at once instead of waiting for <see cref="Release"/>.</summary>
    public bool PassThrough
    {
        get => _passThrough;
        set => _passThrough = value;
    }

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastThreadId, Environment.CurrentManagedThreadId);
        Interlocked.Increment(ref _entered);
        if (_passThrough)
        {
            return true;
        }

        if (blockThread)
        {
            _released.Wait(CancellationToken.None);
        }
        else
        {
            await _releasedAsync.Task;
        }

        return true;
    }

    public void Release()
    {
        _released.Set();
        _releasedAsync.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }
}
