using Joold.Testing.Namespaces;

namespace Joold.Plugins.Tests;

/// <summary>
/// A named network namespace as "ip netns add" makes it: loopback down, no address at all (optionally loopback up).
/// Deleted on dispose, also when the test fails.
/// </summary>
internal sealed class BareNamespace : IAsyncDisposable
{
    private BareNamespace(string name) => Name = name;

    public string Name { get; }

    public string Path => $"/var/run/netns/{Name}";

    public static async Task<BareNamespace> CreateAsync(bool loopbackUp)
    {
        var created = new BareNamespace(TestNames.Next('e'));
        await Command.RunCheckedAsync("ip", "netns", "add", created.Name);
        try
        {
            if (loopbackUp)
            {
                await Command.RunCheckedAsync("ip", "-n", created.Name, "link", "set", "lo", "up");
            }

            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="action"/> on a thread inside the namespace: sockets it opens stay there.</summary>
    public Task RunAsync(Func<ValueTask> action) => NetnsThread.RunAsync(Path, () => action().AsTask().GetAwaiter().GetResult());

    public async ValueTask DisposeAsync() => await Command.RunCheckedAsync("ip", "netns", "del", Name);
}
