using Joold.Testing;

namespace Joold.Transports.Conformance;

/// <summary>
/// Awaits a task with a deadline whose timer is cancelled when the task wins, so no timer outlives the wait (the
/// suite counts the process's timers).
/// </summary>
internal static class Deadline
{
    public static async Task WaitAsync(Task task, string what, TimeSpan? limit = null)
    {
        var timeout = limit ?? Eventually.DefaultTimeout;
        using var cancel = new CancellationTokenSource();
        var expiry = Task.Delay(timeout, cancel.Token);
        if (await Task.WhenAny(task, expiry) != task)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
        }

        await cancel.CancelAsync();
        await task;
    }

    public static async Task<T> WaitAsync<T>(Task<T> task, string what, TimeSpan? limit = null)
    {
        await WaitAsync((Task)task, what, limit);
        return await task;
    }

    public static Task<T> WaitAsync<T>(ValueTask<T> task, string what, TimeSpan? limit = null) => WaitAsync(task.AsTask(), what, limit);
}
