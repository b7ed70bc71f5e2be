using Joold.Testing.Namespaces;
using Microsoft.Win32.SafeHandles;

namespace Joold.Plugins.Tests;

/// <summary>
/// A network namespace of the test's own, with loopback up and nothing else: fixed ports on 127.0.0.1 are free
/// there, whatever else runs on the machine. It has no name (nothing to clean up); an open handle keeps it alive
/// until disposed, and code that must open sockets inside runs on a thread that enters it.
/// </summary>
public sealed class PrivateNetwork : IDisposable
{
    private readonly SafeFileHandle _namespace;

    private PrivateNetwork(SafeFileHandle ns) => _namespace = ns;

    /// <summary>A path setns(2) can open while this object lives.</summary>
    public string NamespacePath => $"/proc/self/fd/{_namespace.DangerousGetHandle()}";

    public static async Task<PrivateNetwork> CreateAsync() =>
        new(await IsolatedNetwork.SetUpAsync(() => File.OpenHandle("/proc/thread-self/ns/net")));

    /// <summary>Runs synchronous code inside the namespace: sockets it opens stay there.</summary>
    public Task<T> RunAsync<T>(Func<T> action) => NetnsThread.RunAsync(NamespacePath, action);

    /// <summary>Runs synchronous code inside the namespace.</summary>
    public Task RunAsync(Action action) => NetnsThread.RunAsync(NamespacePath, action);

    public void Dispose() => _namespace.Dispose();
}
