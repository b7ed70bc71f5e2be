namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>Tasks still running (send retries) that closing waits for, so that none outlives the connection.</summary>
internal sealed class InFlightTasks
{
    private readonly HashSet<Task> _tasks = [];

    /// <summary>Keeps <paramref name="task"/> until it completes, and returns it.</summary>
    public Task<T> Track<T>(Task<T> task)
    {
        lock (_tasks)
        {
            _tasks.Add(task);
        }

        _ = task.ContinueWith(
            static (done, state) =>
            {
                var tasks = (HashSet<Task>)state!;
                lock (tasks)
                {
                    tasks.Remove(done);
                }
            },
            _tasks,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return task;
    }

    /// <summary>Waits until every task tracked so far has completed, whatever its outcome.</summary>
    public async Task WhenAllAsync()
    {
        Task[] running;
        lock (_tasks)
        {
            running = [.. _tasks];
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
