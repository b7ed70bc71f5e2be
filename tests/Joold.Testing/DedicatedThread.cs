namespace Joold.Testing;

/// <summary>
/// Runs synchronous code on a new background thread of its own, which ends afterwards: for state that belongs to a
/// thread on Linux (a network namespace, capabilities), and for code that blocks or counts its own allocations and so
/// must not run on a thread-pool thread.
/// </summary>
public static class DedicatedThread
{
    /// <summary>Runs <paramref name="action"/> on a new thread named <paramref name="name"/>; the task ends with its result or exception.</summary>
    public static Task<T> RunAsync<T>(string name, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(action());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
