using System.Runtime.Versioning;
using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>
/// The published daemon loads only the plugins its configuration names, and refuses, in one line, a plugin that
/// someone else than root or its own user could have changed, unless told <c>--allow-unsafe-plugins</c>.
/// </summary>
[SupportedOSPlatform("linux")]
[Collection(nameof(PublishedJooldCollection))]
public sealed class PluginPermissionTests(PublishedJoold published) : IAsyncLifetime
{
    // The daemons relay between a fake kernel and a Unicast socket, so the start gets past the check that there is
    // something to relay and reaches the plugins.
    private FakeKernelProcess? _kernel;

    public async ValueTask InitializeAsync() => _kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_kernel is not null)
        {
            await _kernel.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_corrupt_plugin_the_configuration_does_not_name_does_not_stop_the_start()
    {
        using var dir = new TempDirectory();
        string plugins = CopyProbe(dir);
        dir.File("plugins/Corrupt/Corrupt.dll", "not an assembly");
        Directory.CreateDirectory(Path.Combine(plugins, "NoAssembly"));

        await using var daemon = Start(dir, plugins);

        await daemon.WaitForOutputAsync(JooldLog.RelayStarted);
        Assert.DoesNotContain("Corrupt", daemon.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.TerminateAsync());
    }

    [Fact]
    public async Task A_group_writable_plugin_folder_is_refused_with_one_line()
    {
        using var dir = new TempDirectory();
        string plugins = CopyProbe(dir);
        string probe = Path.Combine(plugins, "ProbeA");
        File.SetUnixFileMode(probe, File.GetUnixFileMode(probe) | UnixFileMode.GroupWrite);

        await using var daemon = Start(dir, plugins, "--log-level", "Warning");

        Assert.Equal(1, await daemon.WaitForExitAsync());
        string line = Assert.Single(daemon.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("joold: plugin 'ProbeA' (", line, StringComparison.Ordinal);
        Assert.Contains($"'{probe}' is writable by its group", line, StringComparison.Ordinal);
        Assert.Contains("--allow-unsafe-plugins", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_others_writable_assembly_is_refused()
    {
        using var dir = new TempDirectory();
        string plugins = CopyProbe(dir);
        string assembly = Path.Combine(plugins, "ProbeA", "ProbeA.dll");
        File.SetUnixFileMode(assembly, File.GetUnixFileMode(assembly) | UnixFileMode.OtherWrite);

        await using var daemon = Start(dir, plugins);

        Assert.Equal(1, await daemon.WaitForExitAsync());
        Assert.Contains($"'{assembly}' is writable by others", daemon.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_file_owned_by_another_user_is_refused()
    {
        using var dir = new TempDirectory();
        string plugins = CopyProbe(dir);
        string dependency = Path.Combine(plugins, "ProbeA", "Newtonsoft.Json.dll");
        await using (var chown = DaemonProcess.Start("chown", ["4242:4242", dependency]))
        {
            Assert.Equal(0, await chown.WaitForExitAsync());
        }

        await using var daemon = Start(dir, plugins);

        Assert.Equal(1, await daemon.WaitForExitAsync());
        Assert.Contains($"'{dependency}' is owned by uid 4242", daemon.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_option_allows_a_group_writable_plugin_folder()
    {
        using var dir = new TempDirectory();
        string plugins = CopyProbe(dir);
        File.SetUnixFileMode(plugins, File.GetUnixFileMode(plugins) | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);

        await using var daemon = Start(dir, plugins, "--allow-unsafe-plugins");

        await daemon.WaitForOutputAsync(JooldLog.RelayStarted);
        Assert.Equal(0, await daemon.TerminateAsync());
    }

    /// <summary>DIR/plugins/ProbeA, copied from the test plugins with the modes a build gives them (0755, 0644).</summary>
    private static string CopyProbe(TempDirectory dir)
    {
        string plugins = Path.Combine(dir.Path, "plugins");
        string probe = Path.Combine(plugins, "ProbeA");
        Directory.CreateDirectory(probe);
        foreach (string file in Directory.GetFiles(Path.Combine(TestPaths.TestPlugins, "ProbeA")))
        {
            File.Copy(file, Path.Combine(probe, Path.GetFileName(file)));
        }

        return plugins;
    }

    private DaemonProcess Start(TempDirectory dir, string plugins, params string[] options)
    {
        string config = dir.File("joold.json", $$$"""
            {"ProbeA": {}, "JoolNetlink": {"instance": "default", "netlink peer": {{{_kernel!.PortId}}}}, "Unicast": {"listen": "127.0.0.1:0", "peers": ["127.0.0.1:9"]}}
            """);
        return DaemonProcess.Start(published.Joold, ["run", config, "--plugins", plugins, .. options], dir.Path);
    }
}
