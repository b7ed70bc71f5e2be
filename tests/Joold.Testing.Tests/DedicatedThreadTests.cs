namespace Joold.Testing.Tests;

public class DedicatedThreadTests
{
    [Fact]
    public async Task The_code_runs_on_a_named_background_thread_of_its_own()
    {
        int caller = Environment.CurrentManagedThreadId;

        var (id, name, background, pool) = await DedicatedThread.RunAsync("dedicated", () =>
            (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground, Thread.CurrentThread.IsThreadPoolThread));

        Assert.NotEqual(caller, id);
        Assert.Equal("dedicated", name);
        Assert.True(background);
        Assert.False(pool);
    }

    [Fact]
    public async Task An_exception_ends_the_task()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DedicatedThread.RunAsync<int>("failing", () => throw new InvalidOperationException("inside")));

        Assert.Equal("inside", error.Message);
    }
}
