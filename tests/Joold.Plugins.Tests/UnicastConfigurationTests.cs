using System.Net;
using Joold.Configuration;
using Joold.Plugins.Unicast;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Plugins.Tests;

public sealed class UnicastConfigurationTests
{
    private const string Source = "/etc/joold/unicast.json";

    private static UnicastSettings Read(string json) => UnicastSettings.FromSection(ConfigSection.Parse(Source, json));

    [Fact]
    public void A_minimal_section_reads_into_endpoints()
    {
        var settings = Read("""{"listen": "127.0.0.1:7000", "peers": ["127.0.0.1:7001"]}""");
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7000), settings.Listen);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 7001)], settings.Peers);
        Assert.Equal(UnicastSettings.DefaultReceiveBuffer, settings.ReceiveBufferSize);
    }

    [Fact]
    public void Keys_are_case_insensitive_and_every_option_is_read()
    {
        var settings = Read("""{"Listen": "[::]:0", "PEERS": ["[::1]:7001", "192.0.2.1:7002"], "Receive Buffer": 1048576}""");
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 0), settings.Listen);
        Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 7001), new IPEndPoint(IPAddress.Parse("192.0.2.1"), 7002)], settings.Peers);
        Assert.Equal(1048576, settings.ReceiveBufferSize);
    }

    [Theory]
    [InlineData("""{"peers": ["127.0.0.1:7001"]}""", "listen", "missing")]
    [InlineData("""{"listen": "127.0.0.1", "peers": ["127.0.0.1:7001"]}""", "listen", "\"127.0.0.1\"")]
    [InlineData("""{"listen": "::1:7000", "peers": ["[::1]:7001"]}""", "listen", "\"::1:7000\"")]
    [InlineData("""{"listen": "localhost:7000", "peers": ["127.0.0.1:7001"]}""", "listen", "\"localhost:7000\"")]
    [InlineData("""{"listen": "127.0.0.1:70000", "peers": ["127.0.0.1:7001"]}""", "listen", "\"127.0.0.1:70000\"")]
    [InlineData("""{"listen": "7000", "peers": ["127.0.0.1:7001"]}""", "listen", "\"7000\"")]
    [InlineData("""{"listen": "[127.0.0.1]:7000", "peers": ["127.0.0.1:7001"]}""", "listen", "\"[127.0.0.1]:7000\"")]
    [InlineData("""{"listen": "127.0.0.1:7000"}""", "peers", "missing")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": []}""", "peers", "an empty array")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": ["127.0.0.1:0"]}""", "peers[0]", "\"127.0.0.1:0\"")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": ["127.0.0.1:7001", "bad"]}""", "peers[1]", "\"bad\"")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": [null]}""", "peers[0]", "null")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": ["0.0.0.0:7001"]}""", "peers[0]", "\"0.0.0.0:7001\"")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": ["[::1]:7001"]}""", "peers[0]", "\"[::1]:7001\"")]
    [InlineData("""{"listen": "[::1]:7000", "peers": ["127.0.0.1:7001"]}""", "peers[0]", "\"127.0.0.1:7001\"")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": ["127.0.0.1:7001", "127.0.0.1:7001"]}""", "peers[1]", "\"127.0.0.1:7001\"")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": ["127.0.0.1:7001"], "receive buffer": 10}""", "receive buffer", "10")]
    public void Bad_values_fail_naming_the_file_the_key_and_the_value(string json, string key, string found)
    {
        var error = Assert.Throws<JooldConfigException>(() => Read(json));
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{Source}: '{key}' is {found}; expected ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"listen": 7000, "peers": ["127.0.0.1:7001"]}""", "listen")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": "127.0.0.1:7001"}""", "peers")]
    [InlineData("""{"listen": "127.0.0.1:7000", "peers": ["127.0.0.1:7001"], "receive buffer": "big"}""", "receive buffer")]
    public void Values_of_the_wrong_JSON_type_fail_naming_the_key(string json, string key)
    {
        var error = Assert.Throws<JooldConfigException>(() => Read(json));
        Assert.StartsWith(Source + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_expected_form_is_spelled_out()
    {
        var error = Assert.Throws<JooldConfigException>(() => Read("""{"listen": "127.0.0.1", "peers": ["127.0.0.1:7001"]}"""));
        Assert.Equal("""/etc/joold/unicast.json: 'listen' is "127.0.0.1"; expected an IP address and port such as "127.0.0.1:7000" or "[::1]:7000".""", error.Message);
    }

    [Fact]
    public void Without_a_section_the_plugin_registers_nothing()
    {
        var services = new ServiceCollection();
        new UnicastPlugin().ConfigureServices(services, new PluginContext("Unicast", null, "/plugins/Unicast"));
        Assert.Empty(services);
    }

    [Fact]
    public async Task The_plugin_registers_one_transport_as_both_peer_source_and_peer_sink()
    {
        var services = new ServiceCollection();
        var section = ConfigSection.Parse(Source, """{"listen": "127.0.0.1:0", "peers": ["127.0.0.1:7001"]}""");
        new UnicastPlugin().ConfigureServices(services, new PluginContext("Unicast", section, "/plugins/Unicast"));
        await using var provider = services.BuildServiceProvider();

        var source = Assert.Single(provider.GetServices<ISessionSource>());
        var sink = Assert.Single(provider.GetServices<ISessionSink>());
        Assert.Same(source, sink);
        var transport = Assert.IsType<UnicastTransport>(source);
        Assert.Equal(SessionSide.Peer, transport.Side);
    }

    [Fact]
    public void A_bad_section_fails_while_configuring()
    {
        var section = ConfigSection.Parse(Source, """{"listen": "127.0.0.1:7000", "peers": []}""");
        var error = Assert.Throws<JooldConfigException>(() => new UnicastPlugin().ConfigureServices(new ServiceCollection(), new PluginContext("Unicast", section, "/plugins/Unicast")));
        Assert.Equal("peers", error.Key);
    }
}
