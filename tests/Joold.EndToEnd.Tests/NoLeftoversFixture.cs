using Joold.EndToEnd.Tests.Support;
using Joold.Testing.Namespaces;

[assembly: AssemblyFixture(typeof(Joold.EndToEnd.Tests.NoLeftoversFixture))]

namespace Joold.EndToEnd.Tests;

/// <summary>
/// After every test of the assembly has run: no namespace or link named by this process, and no child process
/// still running. Each test checks its own network already; this catches what a test forgot to track. A failure
/// here fails the run as an assembly cleanup failure.
/// </summary>
public sealed class NoLeftoversFixture : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        var left = (await TestNetwork.FindProcessLeftoversAsync()).Concat(Leftovers.RunningChildren().Select(c => $"process {c}")).ToList();
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"The end-to-end tests left behind: {string.Join("; ", left)}");
        }
    }
}
