using System.Threading.Tasks.Sources;

namespace Joold.Plugins.Tls;

/// <summary>
/// An auto-reset wake-up for one waiting loop: any thread may <see cref="Set"/> it; the waiter's
/// <see cref="WaitAsync"/> completes at once when a signal is pending. Allocation-free (one reusable value task
/// source), and it never blocks. The continuation runs on the thread that sets it, so never set it under a lock.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource<bool>
{
    private const int Idle = 0;
    private const int Signalled = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core;
    private int _state;
    private volatile bool _closed;

    /// <summary>Wakes the waiter, or lets its next wait complete at once.</summary>
    public void Set()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Signalled:
                    return;
                case Idle when Interlocked.CompareExchange(ref _state, Signalled, Idle) == Idle:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                    _core.SetResult(!_closed);
                    return;
            }
        }
    }

    /// <summary>True when signalled, false once closed. One waiter at a time.</summary>
    public ValueTask<bool> WaitAsync()
    {
        while (true)
        {
            if (_closed)
            {
                return ValueTask.FromResult(false);
            }

            if (Interlocked.CompareExchange(ref _state, Idle, Signalled) == Signalled)
            {
                return ValueTask.FromResult(!_closed);
            }

            _core.Reset();
            if (Interlocked.CompareExchange(ref _state, Waiting, Idle) == Idle)
            {
                return new ValueTask<bool>(this, _core.Version);
            }
        }
    }

    /// <summary>Ends the waiting for good: the current and every later wait returns false.</summary>
    public void Close()
    {
        _closed = true;
        Set();
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
