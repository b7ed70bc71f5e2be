using Joold.Configuration;
using Joold.Plugins.StatsUdp;
using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Plugins.Tests;

public sealed class StatsUdpConfigurationTests
{
    private const string Source = "/etc/joold/stats.json";

    private static ConfigSection Section(string json) => ConfigSection.Parse(Source, json);

    [Fact]
    public void Defaults_are_Cs_dual_stack_wildcard_and_port_6401()
    {
        var options = StatsUdpOptions.FromSection(Section("{}"));
        Assert.Equal("::", options.Address);
        Assert.Equal(6401, options.Port);
    }

    [Theory]
    [InlineData("""{"address": "0.0.0.0", "port": "6401"}""", "0.0.0.0", 6401)]
    [InlineData("""{"ADDRESS": "127.0.0.1", "Port": 7000}""", "127.0.0.1", 7000)]
    [InlineData("""{"port": "1"}""", "::", 1)]
    [InlineData("""{"port": "65535"}""", "::", 65535)]
    [InlineData("""{"port": "06401"}""", "::", 6401)]
    public void Valid_sections_are_read_like_cJSON(string json, string address, int port)
    {
        var options = StatsUdpOptions.FromSection(Section(json));
        Assert.Equal(address, options.Address);
        Assert.Equal(port, options.Port);
    }

    [Theory]
    [InlineData("""{"port": "0"}""", "port")]
    [InlineData("""{"port": "65536"}""", "port")]
    [InlineData("""{"port": "abc"}""", "port")]
    [InlineData("""{"port": ""}""", "port")]
    [InlineData("""{"port": " 6401"}""", "port")]
    [InlineData("""{"port": "-1"}""", "port")]
    [InlineData("""{"port": 0}""", "port")]
    [InlineData("""{"port": 70000}""", "port")]
    [InlineData("""{"port": true}""", "port")]
    [InlineData("""{"port": null}""", "port")]
    [InlineData("""{"port": [6401]}""", "port")]
    [InlineData("""{"address": 5}""", "address")]
    [InlineData("""{"address": ""}""", "address")]
    [InlineData("""{"address": null}""", "address")]
    [InlineData("""{"replies per second": 0}""", "replies per second")]
    [InlineData("""{"replies per second": 1000001}""", "replies per second")]
    [InlineData("""{"replies per second": "20"}""", "replies per second")]
    public void Bad_values_fail_with_the_file_and_the_key(string json, string key)
    {
        var error = Assert.Throws<JooldConfigException>(() => StatsUdpOptions.FromSection(Section(json)));
        Assert.Equal(key, error.Key);
        Assert.StartsWith(Source + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", StatsUdpOptions.DefaultRepliesPerSecond)]
    [InlineData("""{"replies per second": 1}""", 1)]
    [InlineData("""{"Replies Per Second": 1000000}""", 1000000)]
    public void The_rate_per_source_is_read(string json, int repliesPerSecond)
    {
        Assert.Equal(repliesPerSecond, StatsUdpOptions.FromSection(Section(json)).RepliesPerSecond);
    }

    [Fact]
    public void A_port_error_says_what_is_accepted()
    {
        var error = Assert.Throws<JooldConfigException>(() => StatsUdpOptions.FromSection(Section("""{"port": "http"}""")));
        Assert.Equal("""/etc/joold/stats.json: 'port' is "http"; expected a port from 1 to 65535 (a string such as "6401", or an integer).""", error.Message);
    }

    [Fact]
    public void Without_a_section_the_plugin_registers_nothing()
    {
        var services = new ServiceCollection();
        new StatsUdpPlugin().ConfigureServices(services, new PluginContext("StatsUdp", null, "/plugins/StatsUdp"));
        Assert.Empty(services);
    }

    [Fact]
    public async Task With_a_section_the_plugin_registers_one_exporter_reading_the_shared_counters()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IJooldStatistics>(new JooldCounters());
        new StatsUdpPlugin().ConfigureServices(services, new PluginContext("StatsUdp", Section("""{"address": "127.0.0.1", "port": 6401}"""), "/plugins/StatsUdp"));
        await using var provider = services.BuildServiceProvider();

        var exporter = Assert.Single(provider.GetServices<IStatsExporter>());
        Assert.IsType<StatsUdpExporter>(exporter);
        Assert.Equal("stats udp 127.0.0.1:6401", exporter.Name);
    }

    [Fact]
    public void A_bad_section_fails_while_configuring()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<JooldConfigException>(() =>
            new StatsUdpPlugin().ConfigureServices(services, new PluginContext("StatsUdp", Section("""{"port": "99999"}"""), "/plugins/StatsUdp")));
        Assert.Equal("port", error.Key);
    }
}
