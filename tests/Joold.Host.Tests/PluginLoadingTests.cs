using System.Runtime.Loader;
using System.Runtime.Versioning;
using Joold.Configuration;
using Joold.Host.Configuration;
using Joold.Host.Hosting;
using Joold.Host.Plugins;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Host.Tests;

public class PluginLoadingTests
{
    [Fact]
    public void The_default_plugins_are_found_next_to_the_host()
    {
        var catalog = PluginCatalog.Discover([TestPaths.DefaultPlugins]);

        Assert.Equal(["JoolNetlink", "Multicast", "StatsUdp", "Unicast"], catalog.Found.Keys.Order(StringComparer.Ordinal));
        Assert.All(catalog.Found, p => Assert.EndsWith($"{p.Key}/{p.Key}.dll", p.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_plugins_keep_their_own_versions_of_the_same_package()
    {
        var settings = Settings(TestPaths.TestPlugins);
        settings.AddSection("ProbeA", Empty());
        settings.AddSection("ProbeB", Empty());

        await using var app = JooldApplication.Build(settings);
        var names = app.Services.GetServices<IStatsExporter>().Select(e => e.Name).ToArray();

        Assert.Contains(names, n => n.StartsWith("ProbeA sees Newtonsoft.Json 12.0.0.0", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("ProbeB sees Newtonsoft.Json 13.0.0.0", StringComparison.Ordinal));
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Newtonsoft.Json");
    }

    [Fact]
    public async Task Plugins_share_the_hosts_contract_types()
    {
        var settings = Settings(TestPaths.TestPlugins);
        settings.AddSection("ProbeA", Empty());

        await using var app = JooldApplication.Build(settings);

        // The exporter is resolved through the host's own IStatsExporter type: the contract is shared, not copied.
        var exporter = Assert.Single(app.Services.GetServices<IStatsExporter>());
        Assert.NotSame(typeof(PluginLoadingTests).Assembly, exporter.GetType().Assembly);
        Assert.Same(typeof(IStatsExporter).Assembly, exporter.GetType().GetInterfaces().Single(i => i.Name == nameof(IStatsExporter)).Assembly);
    }

    [Fact]
    public void A_plugin_the_configuration_names_but_that_is_not_installed_is_a_clear_error()
    {
        var settings = Settings();
        settings.AddSection("Nope", Empty());

        var error = Assert.Throws<PluginLoadException>(() => JooldApplication.Build(settings));

        Assert.StartsWith("plugin 'Nope' (", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nope/Nope.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains("not installed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_plugins_the_configuration_names_are_loaded_so_a_broken_unused_one_is_harmless()
    {
        using var dir = new TempDirectory();
        dir.File("Broken/Broken.dll", "this is not a .NET assembly");
        dir.File("Empty/readme.txt", "no assembly here");
        var settings = Settings(TestPaths.TestPlugins, dir.Path);
        settings.AddSection("ProbeA", Empty());

        await using var app = JooldApplication.Build(settings);

        Assert.Equal(["ProbeA"], app.Catalog.Loaded.Select(p => p.Name));
    }

    [SupportedOSPlatform("linux")]
    [Fact]
    public async Task A_plugin_folder_others_may_write_is_refused_unless_allowed()
    {
        using var dir = new TempDirectory();
        string probe = Path.Combine(dir.Path, "ProbeA");
        Directory.CreateDirectory(probe);
        foreach (string file in Directory.GetFiles(Path.Combine(TestPaths.TestPlugins, "ProbeA")))
        {
            File.Copy(file, Path.Combine(probe, Path.GetFileName(file)));
        }

        File.SetUnixFileMode(dir.Path, File.GetUnixFileMode(dir.Path) | UnixFileMode.OtherWrite);
        var settings = Settings(dir.Path);
        settings.AddSection("ProbeA", Empty());

        var error = Assert.Throws<PluginLoadException>(() => JooldApplication.Build(settings));
        Assert.Contains($"'{dir.Path}' is writable by others", error.Message, StringComparison.Ordinal);

        settings.AllowUnsafePlugins = true;
        await using var allowed = JooldApplication.Build(settings);
        Assert.Equal(["ProbeA"], allowed.Catalog.Loaded.Select(p => p.Name));
    }

    [Fact]
    public void A_plugin_that_is_not_an_assembly_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        string path = dir.File("Broken/Broken.dll", "this is not a .NET assembly");
        var settings = Settings(dir.Path);
        settings.AddSection("Broken", Empty());

        var error = Assert.Throws<PluginLoadException>(() => JooldApplication.Build(settings));

        Assert.Equal("Broken", error.PluginName);
        Assert.Equal(path, error.PluginPath);
        Assert.Contains("cannot be loaded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_without_an_entry_point_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "NoEntry"));
        File.Copy(Path.Combine(TestPaths.TestPlugins, "ProbeA", "Newtonsoft.Json.dll"), Path.Combine(dir.Path, "NoEntry", "NoEntry.dll"));
        var settings = Settings(dir.Path);
        settings.AddSection("NoEntry", Empty());

        var error = Assert.Throws<PluginLoadException>(() => JooldApplication.Build(settings));

        Assert.Equal("NoEntry", error.PluginName);
        Assert.Contains("has no entry point", error.Message, StringComparison.Ordinal);
        Assert.Contains("IJooldPlugin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_folder_without_its_assembly_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        dir.File("Empty/readme.txt", "no assembly here");
        var settings = Settings(dir.Path);
        settings.AddSection("Empty", Empty());

        var error = Assert.Throws<PluginLoadException>(() => JooldApplication.Build(settings));

        Assert.Contains("plugin 'Empty'", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no Empty.dll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_folder_that_does_not_exist_is_a_clear_error()
    {
        var error = Assert.Throws<PluginLoadException>(() => JooldApplication.Build(Settings("/nonexistent/joold-plugins")));

        Assert.Contains("'/nonexistent/joold-plugins' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plugin_that_throws_while_configuring_is_named_with_its_path()
    {
        var settings = Settings(TestPaths.TestPlugins);
        settings.AddSection("Faulty", Section("""{"fail": "configure"}"""));

        var error = Assert.Throws<PluginLoadException>(() => JooldApplication.Build(settings));

        Assert.Equal("Faulty", error.PluginName);
        Assert.EndsWith("Faulty/Faulty.dll", error.PluginPath, StringComparison.Ordinal);
        Assert.Contains("failed while configuring: the faulty plugin refuses to configure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_that_throws_while_starting_is_named_with_its_path()
    {
        var settings = Settings(TestPaths.TestPlugins);
        settings.AddSection("Faulty", Section("""{"fail": "start"}"""));
        await using var app = JooldApplication.Build(settings);

        var error = await Assert.ThrowsAsync<ComponentStartException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("plugin 'Faulty' (", error.Message, StringComparison.Ordinal);
        Assert.Contains("Faulty/Faulty.dll", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed to start: the faulty source cannot open its socket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_fails_while_running_stops_the_daemon_with_a_non_zero_exit()
    {
        var settings = Settings(TestPaths.TestPlugins);
        settings.AddSection("Faulty", Section("""{"fail": "run"}"""));
        await using var app = JooldApplication.Build(settings);

        int exitCode = await app.RunAsync(TestContext.Current.CancellationToken).WithTimeout("the daemon to stop after its source failed");

        Assert.Equal(1, exitCode);
    }

    private static JooldSettings Settings(params string[] pluginDirectories)
    {
        var settings = new JooldSettings { LogLevel = Microsoft.Extensions.Logging.LogLevel.None };
        settings.PluginDirectories.AddRange(pluginDirectories);
        return settings;
    }

    private static ConfigSection Empty() => Section("{}");

    private static ConfigSection Section(string json) => ConfigSection.Parse("test.json", json);
}
