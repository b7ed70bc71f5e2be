using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>What an operator installs: <c>dotnet publish src/Host -o DIR</c> gives a runnable DIR/joold with its plugins.</summary>
[Collection(nameof(PublishedJooldCollection))]
public class PublishTests(PublishedJoold published)
{
    [Fact]
    public async Task Publish_lays_out_a_runnable_joold_with_the_default_plugins()
    {
        foreach (string plugin in new[] { "JoolNetlink", "Multicast", "StatsUdp", "Unicast" })
        {
            Assert.True(File.Exists(Path.Combine(published.Directory, "plugins", plugin, plugin + ".dll")), $"plugins/{plugin}/{plugin}.dll is missing");
            Assert.False(File.Exists(Path.Combine(published.Directory, "plugins", plugin, "Joold.Core.dll")), $"plugins/{plugin} must not carry Joold.Core");
        }

        using var dir = new TempDirectory();
        await using var demo = DaemonProcess.Start(published.Joold, ["demo", "--seconds", "1"], dir.Path);
        await demo.WaitForExitAsync(TimeSpan.FromMinutes(1));
        Assert.True(demo.ExitCode == 0, $"the published demo failed: {demo.StandardOutput} {demo.StandardError}");
        Assert.Contains("PASS", demo.StandardOutput, StringComparison.Ordinal);
    }
}
