using Joold.Host.Configuration;
using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>The joold executable as an operator runs it: arguments, defaults, errors and exit codes.</summary>
public class CommandLineTests
{
    [Fact]
    public async Task Without_arguments_the_files_default_to_modsocket_json_and_netsocket_json_in_the_working_directory()
    {
        using var dir = new TempDirectory();

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync([], dir.Path);

        Assert.Equal(1, exitCode);
        // The modsocket file is read first, as the original does.
        Assert.StartsWith("joold: modsocket.json: cannot read the file", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Malformed_json_names_the_file_line_and_column()
    {
        using var dir = new TempDirectory();
        dir.File("modsocket.json", """{"instance": "default"}""");
        dir.File("netsocket.json", "{\n  \"multicast address\": ,\n}");

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync([], dir.Path);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("joold: netsocket.json:2:", stderr, StringComparison.Ordinal);
        Assert.Contains("JSON syntax error", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_file_that_names_an_unknown_plugin_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        string config = dir.File("joold.json", """{"Telepathy": {}}""");

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["run", config], dir.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains("plugin 'Telepathy'", stderr, StringComparison.Ordinal);
        Assert.Contains("not installed", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_that_fails_to_start_gives_one_line_and_exit_code_1()
    {
        using var dir = new TempDirectory();
        string config = dir.File("joold.json", """{"Faulty": {"fail": "start"}}""");

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["run", config, "--plugins", TestPaths.TestPlugins], dir.Path);

        Assert.Equal(1, exitCode);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("joold:", StringComparison.Ordinal));
        Assert.Contains("plugin 'Faulty'", line, StringComparison.Ordinal);
        Assert.Contains("the faulty source cannot open its socket", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_is_the_jool_version_it_speaks()
    {
        var (exitCode, stdout, _) = await DaemonProcess.RunJooldAsync(["--version"]);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("4.1.15", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NETSOCKET", new string[] { "--help" })]
    [InlineData("NET_MCAST_ADDR", new string[] { "proxy", "--help" })]
    [InlineData("CONFIG", new string[] { "run", "--help" })]
    [InlineData("--seconds", new string[] { "demo", "--help" })]
    [InlineData("--netlink-peer", new string[] { "follow", "--help" })]
    [InlineData("--netlink-peer", new string[] { "advertise", "--help" })]
    public async Task Every_command_has_help(string mentions, string[] args)
    {
        var (exitCode, stdout, _) = await DaemonProcess.RunJooldAsync(args);

        Assert.Equal(0, exitCode);
        Assert.Contains(mentions, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_rejected()
    {
        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["proxy", "ff08::db8:64:64", "--net.colour", "blue"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--net.colour", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_legacy_form_maps_files_and_port_to_plugin_sections()
    {
        using var dir = new TempDirectory();
        string mod = dir.File("mod.json", """{"instance": "alpha"}""");
        string net = dir.File("net.json", """{"multicast address": "233.252.0.64"}""");
        var settings = new JooldSettings();

        CommandLineSections.AddLegacy(settings, net, mod, "45678");

        Assert.Equal("alpha", settings.Sections["JoolNetlink"].GetString("instance", null));
        Assert.Equal(mod, settings.Sections["JoolNetlink"].Source);
        Assert.Equal("233.252.0.64", settings.Sections["Multicast"].GetString("multicast address", null));
        Assert.Equal("::", settings.Sections["StatsUdp"].GetString("address", null));
        Assert.Equal("45678", settings.Sections["StatsUdp"].GetString("port", null));
    }

    [Fact]
    public void The_legacy_form_takes_a_stats_address_so_the_server_can_listen_on_loopback_only()
    {
        using var dir = new TempDirectory();
        var withPort = new JooldSettings();
        var alone = new JooldSettings();

        CommandLineSections.AddLegacy(withPort, dir.File("n.json", "{}"), dir.File("m.json", "{}"), "45678", "localhost");
        CommandLineSections.AddLegacy(alone, dir.File("n2.json", "{}"), dir.File("m2.json", "{}"), null, "127.0.0.1");

        Assert.Equal(("localhost", "45678"), (withPort.Sections["StatsUdp"].GetString("address", null), withPort.Sections["StatsUdp"].GetString("port", null)));
        Assert.Equal(("127.0.0.1", "6401"), (alone.Sections["StatsUdp"].GetString("address", null), alone.Sections["StatsUdp"].GetString("port", null)));
    }

    [Fact]
    public void The_legacy_form_without_port_starts_no_stats_server()
    {
        using var dir = new TempDirectory();
        var settings = new JooldSettings();

        CommandLineSections.AddLegacy(settings, dir.File("n.json", "{}"), dir.File("m.json", "{}"), null);

        Assert.False(settings.Sections.ContainsKey("StatsUdp"));
    }

    [Fact]
    public void The_proxy_form_has_the_originals_defaults()
    {
        var settings = new JooldSettings();

        CommandLineSections.AddProxy(settings, "ff08::db8:64:64", "default", "6400", null, null, 1, null, null);

        var net = settings.Sections["Multicast"];
        Assert.Equal("ff08::db8:64:64", net.GetString("multicast address", null));
        Assert.Equal("6400", net.GetString("multicast port", null));
        Assert.Equal(1, net.GetInt32("ttl", -1, 0, 255));
        Assert.Null(net.GetString("in interface", null));
        Assert.Null(net.GetString("out interface", null));
        Assert.Equal("default", settings.Sections["JoolNetlink"].GetString("instance", null));
        Assert.False(settings.Sections.ContainsKey("StatsUdp"));
    }

    [Theory]
    [InlineData(null, "6402", "::", "6402")]
    [InlineData("127.0.0.1", null, "127.0.0.1", "6401")]
    public void The_proxy_form_starts_stats_when_either_stats_flag_is_given(string? address, string? port, string expectedAddress, string expectedPort)
    {
        var settings = new JooldSettings();

        CommandLineSections.AddProxy(settings, "233.252.0.64", "default", "6400", null, null, 1, address, port);

        Assert.Equal(expectedAddress, settings.Sections["StatsUdp"].GetString("address", null));
        Assert.Equal(expectedPort, settings.Sections["StatsUdp"].GetString("port", null));
    }

    [Fact]
    public void A_plugin_configured_twice_is_an_error_naming_both_sources()
    {
        using var dir = new TempDirectory();
        var settings = new JooldSettings();
        CommandLineSections.AddNetlink(settings, "default", 0);
        string config = dir.File("joold.json", """{"JoolNetlink": {}}""");

        var error = Assert.Throws<Joold.Configuration.JooldConfigException>(() => CommandLineSections.AddFile(settings, config));

        Assert.Contains("'JoolNetlink' is already configured by command line", error.Message, StringComparison.Ordinal);
    }
}
