using Joold.Relay;

namespace Joold.Ops.Tests.Support;

/// <summary>
/// A peer sink whose sends wait until <see cref="Release"/>: asynchronously (a pending task, as a socket that waits),
/// or, with <c>blockThread</c>, by blocking the caller's thread, as a broken plugin would.
/// </summary>
internal sealed class TestSink(bool blockThread) : ISessionSink
{
    private readonly ManualResetEventSlim _released = new();
    private readonly TaskCompletionSource _releasedAsync = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _entered;

    public string Name => "test sink";

    public SessionSide Side => SessionSide.Peer;

    public int Entered => Volatile.Read(ref _entered);

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
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
