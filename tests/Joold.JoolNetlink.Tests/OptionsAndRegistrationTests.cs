using Joold.Configuration;
using Joold.Plugins;
using Joold.Plugins.JoolNetlink;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>The plugin's section (modsocket.json) and what it registers.</summary>
public sealed class OptionsAndRegistrationTests
{
    [Fact]
    public void Defaults_are_instance_default_the_kernel_and_four_mebibytes()
    {
        var options = JoolNetlinkOptions.FromSection(ConfigSection.Parse("modsocket.json", "{}"));

        Assert.Equal("default", options.Instance);
        Assert.Equal(0u, options.NetlinkPeer);
        Assert.Equal(4 * 1024 * 1024, options.ReceiveBuffer);
    }

    [Fact]
    public void Keys_are_read_case_insensitively_and_a_key_given_twice_is_refused()
    {
        var options = JoolNetlinkOptions.FromSection(ConfigSection.Parse(
            "modsocket.json", """{"Instance": "nat64", "NETLINK PEER": 4242, "receive buffer": 65536}"""));

        Assert.Equal("nat64", options.Instance);
        Assert.Equal(4242u, options.NetlinkPeer);
        Assert.Equal(65536, options.ReceiveBuffer);
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse("modsocket.json", """{"Instance": "nat64", "instance": "other"}"""));
        Assert.Equal("modsocket.json: the key 'instance' appears twice (as 'Instance' and 'instance'); keys are case-insensitive, give each once.", error.Message);
    }

    [Theory]
    [InlineData("""{"instance": "sixteen-chars-xx"}""", "instance")]
    [InlineData("""{"instance": ""}""", "instance")]
    [InlineData("""{"instance": "caf\u00e9"}""", "instance")]
    [InlineData("""{"instance": "tab\there"}""", "instance")]
    [InlineData("""{"instance": 5}""", "instance")]
    [InlineData("""{"netlink peer": -1}""", "netlink peer")]
    [InlineData("""{"netlink peer": "4242"}""", "netlink peer")]
    [InlineData("""{"receive buffer": 10}""", "receive buffer")]
    public void Bad_values_name_the_file_and_key(string json, string key)
    {
        var e = Assert.Throws<JooldConfigException>(() => JoolNetlinkOptions.FromSection(ConfigSection.Parse("/etc/joold/modsocket.json", json)));

        Assert.Contains("/etc/joold/modsocket.json", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("fifteen-chars-x")]
    [InlineData(" ~!\"#$%&'()*+,-")]
    public void Every_printable_ascii_name_up_to_fifteen_characters_is_accepted(string name) =>
        Assert.True(JoolNetlinkOptions.IsValidInstanceName(name));

    [Fact]
    public void Without_a_section_nothing_is_registered()
    {
        var services = new ServiceCollection();

        new JoolNetlinkPlugin().ConfigureServices(services, new PluginContext("JoolNetlink", null, "/plugins/JoolNetlink"));

        Assert.Empty(services);
    }

    [Fact]
    public async Task With_a_section_one_channel_is_the_local_source_sink_and_advertiser()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITransportCounters>(new JooldCounters());
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));

        new JoolNetlinkPlugin().ConfigureServices(services, new PluginContext("JoolNetlink", ConfigSection.Parse("modsocket.json", """{"instance": "nat64"}"""), "/plugins/JoolNetlink"));
        await using var provider = services.BuildServiceProvider();

        var source = Assert.Single(provider.GetServices<ISessionSource>());
        var sink = Assert.Single(provider.GetServices<ISessionSink>());
        var advertiser = Assert.Single(provider.GetServices<ISessionAdvertiser>());
        Assert.Same(source, sink);
        Assert.Same(source, advertiser);
        Assert.Equal(SessionSide.Local, source.Side);
        Assert.Equal(SessionSide.Local, sink.Side);
        Assert.Contains("nat64", source.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_channel_takes_the_clock_from_the_container_and_the_system_clock_without_one()
    {
        var clock = new FakeTimeProvider();
        await using var withClock = Provider(services => services.AddSingleton<TimeProvider>(clock));
        await using var without = Provider(_ => { });

        Assert.Same(clock, withClock.GetRequiredService<JoolNetlinkChannel>().Time);
        Assert.Same(TimeProvider.System, without.GetRequiredService<JoolNetlinkChannel>().Time);
    }

    [Fact]
    public void A_bad_section_fails_at_registration()
    {
        var services = new ServiceCollection();

        Assert.Throws<JooldConfigException>(() => new JoolNetlinkPlugin().ConfigureServices(
            services, new PluginContext("JoolNetlink", ConfigSection.Parse("modsocket.json", """{"instance": "much-too-long-name"}"""), "/p")));
    }

    private static ServiceProvider Provider(Action<IServiceCollection> more)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ITransportCounters>(new JooldCounters());
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        more(services);
        new JoolNetlinkPlugin().ConfigureServices(services, new PluginContext("JoolNetlink", ConfigSection.Parse("modsocket.json", "{}"), "/plugins/JoolNetlink"));
        return services.BuildServiceProvider();
    }
}
