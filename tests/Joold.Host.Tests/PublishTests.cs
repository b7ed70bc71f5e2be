using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>What an operator installs: <c>dotnet publish src/Host -o DIR</c> gives a runnable DIR/joold with its plugins.</summary>
public class PublishTests
{
    [Fact]
    public async Task Publish_lays_out_a_runnable_joold_with_the_default_plugins()
    {
        using var dir = TestPaths.NewTempDirectory();
        string output = Path.Combine(dir.Path, "joold");
        string project = Path.Combine(RepositoryRoot(), "src", "Host");

        await using (var publish = DaemonProcess.Start("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo"], dir.Path))
        {
            await publish.WaitForExitAsync(TimeSpan.FromMinutes(5));
            Assert.True(publish.ExitCode == 0, $"dotnet publish failed: {publish.StandardOutput} {publish.StandardError}");
        }

        foreach (string plugin in new[] { "JoolNetlink", "Multicast", "StatsUdp", "Unicast" })
        {
            Assert.True(File.Exists(Path.Combine(output, "plugins", plugin, plugin + ".dll")), $"plugins/{plugin}/{plugin}.dll is missing");
            Assert.False(File.Exists(Path.Combine(output, "plugins", plugin, "Joold.Core.dll")), $"plugins/{plugin} must not carry Joold.Core");
        }

        await using var demo = DaemonProcess.Start(Path.Combine(output, "joold"), ["demo", "--seconds", "1"], dir.Path);
        await demo.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(demo.ExitCode == 0, $"the published demo failed: {demo.StandardOutput} {demo.StandardError}");
        Assert.Contains("PASS", demo.StandardOutput, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Joold.sln")))
        {
            dir = dir.Parent;
        }

        // Tests built with --artifacts-path live outside the checkout; fall back to the source tree the build came from.
        return dir?.FullName ?? Path.GetFullPath(Path.Combine(ThisFileDirectory(), "..", ".."));
    }

    private static string ThisFileDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
