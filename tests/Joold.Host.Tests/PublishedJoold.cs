using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>
/// What an operator installs, made once for the tests that need it: <c>dotnet publish src/Host -o DIR</c>, a
/// runnable DIR/joold with its plugins under DIR/plugins.
/// </summary>
public sealed class PublishedJoold : IAsyncLifetime
{
    private readonly TempDirectory _scratch = new("joold-published-");

    /// <summary>The published folder: joold, Joold.Core.dll, plugins/.</summary>
    public string Directory => Path.Combine(_scratch.Path, "joold");

    public string Joold => Path.Combine(Directory, "joold");

    public async ValueTask InitializeAsync()
    {
        string project = Path.Combine(TestPaths.RepositoryRoot, "src", "Host");
        await using var publish = DaemonProcess.Start(DotnetHost.Path, ["publish", project, "-c", "Release", "-o", Directory, "-nologo"], _scratch.Path);
        await publish.WaitForExitAsync(TimeSpan.FromMinutes(5));
        if (publish.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed: {publish.StandardOutput} {publish.StandardError}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _scratch.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The tests that share one published joold (and so run one after the other).</summary>
[CollectionDefinition(nameof(PublishedJooldCollection))]
public sealed class PublishedJooldCollection : ICollectionFixture<PublishedJoold>;
