using System.Net;
using Joold.Configuration;
using Joold.Plugins;
using Joold.Plugins.Tls;
using Joold.Relay;
using Joold.Tls.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Tls.Tests;

/// <summary>The Tls section: what it reads, and one clear line naming the file and key for every mistake.</summary>
public sealed class ConfigurationTests
{
    private const string Source = "/etc/joold/tls.json";
    private const string Files = """ "certificate": "/etc/joold/tls/node.pem", "key": "/etc/joold/tls/node.key", "ca": "/etc/joold/tls/ca.pem" """;

    private static TlsSettings Read(string json) => TlsSettings.FromSection(ConfigSection.Parse(Source, json));

    [Fact]
    public void The_issue_example_reads_with_its_defaults()
    {
        var settings = Read($$"""{"listen": "[::]:6443", "peers": ["gw2.example.net:6443", "192.0.2.3:6443", "[2001:db8::3]:6443"], {{Files}}, "queue": 65536}""");
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 6443), settings.Listen);
        Assert.Equal([new HostPort("gw2.example.net", 6443), new HostPort("192.0.2.3", 6443), new HostPort("2001:db8::3", 6443)], settings.Peers);
        Assert.Null(settings.Peers[0].Address);
        Assert.Equal(IPAddress.Parse("192.0.2.3"), settings.Peers[1].Address);
        Assert.Equal("[2001:db8::3]:6443", settings.Peers[2].ToString());
        Assert.Equal(("/etc/joold/tls/node.pem", "/etc/joold/tls/node.key", "/etc/joold/tls/ca.pem"), (settings.Files.Certificate, settings.Files.Key, settings.Files.Authorities));
        Assert.Equal((true, true), (settings.Files.Accepts, settings.Files.Dials));
        Assert.Equal(TlsSettings.DefaultQueue, settings.QueueCapacity);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.ResyncInterval);
    }

    [Fact]
    public void A_node_may_only_accept_or_only_dial_and_keys_match_case_insensitively()
    {
        var acceptOnly = Read($$"""{"LISTEN": "192.0.2.1:6443", "Certificate": "node.pem", "KEY": "node.key", "Ca": "ca.pem", "Queue": 10, "Resync Interval": 0.5}""");
        Assert.Empty(acceptOnly.Peers);
        Assert.Equal((true, false), (acceptOnly.Files.Accepts, acceptOnly.Files.Dials));
        Assert.Equal((10, TimeSpan.FromMilliseconds(500)), (acceptOnly.QueueCapacity, acceptOnly.ResyncInterval));

        // Relative paths are relative to the configuration file.
        Assert.Equal("/etc/joold/node.pem", acceptOnly.Files.Certificate);

        var dialOnly = Read($$"""{"peers": ["GW2.Example.NET:6443"], {{Files}}}""");
        Assert.Null(dialOnly.Listen);
        Assert.Equal("gw2.example.net", dialOnly.Peers[0].Host);
        Assert.Equal((false, true), (dialOnly.Files.Accepts, dialOnly.Files.Dials));
    }

    [Theory]
    [InlineData("\"listen\": \"6443\"", "listen", "\"6443\"")]
    [InlineData("\"listen\": \"[::]\"", "listen", "\"[::]\"")]
    [InlineData("\"listen\": \"::1:6443\"", "listen", "\"::1:6443\"")]
    [InlineData("\"listen\": \"[::]:65536\"", "listen", "\"[::]:65536\"")]
    [InlineData("\"listen\": \"gw1.example.net:6443\"", "listen", "\"gw1.example.net:6443\"")]
    [InlineData("\"peers\": [\"gw2\"]", "peers[0]", "\"gw2\"")]
    [InlineData("\"peers\": [\"gw2:0\"]", "peers[0]", "\"gw2:0\"")]
    [InlineData("\"peers\": [\":6443\"]", "peers[0]", "\":6443\"")]
    [InlineData("\"peers\": [\"2001:db8::3:6443\"]", "peers[0]", "\"2001:db8::3:6443\"")]
    [InlineData("\"peers\": [\"-gw-.example:6443\"]", "peers[0]", "\"-gw-.example:6443\"")]
    [InlineData("\"peers\": [\"10.1:6443\"]", "peers[0]", "\"10.1:6443\"")]
    [InlineData("\"peers\": [\"gw2:6443\", null]", "peers[1]", "null")]
    [InlineData("\"peers\": [\"0.0.0.0:6443\"]", "peers[0]", "\"0.0.0.0:6443\"")]
    [InlineData("\"peers\": [\"gw2:6443\", \"GW2:6443\"]", "peers[1]", "\"GW2:6443\"")]
    [InlineData("\"listen\": \"[::]:6443\", \"queue\": 0", "queue", "0")]
    [InlineData("\"listen\": \"[::]:6443\", \"queue\": 16777217", "queue", "16777217")]
    [InlineData("\"listen\": \"[::]:6443\", \"resync interval\": 0", "resync interval", "0")]
    [InlineData("\"listen\": \"[::]:6443\", \"resync interval\": 86401", "resync interval", "86401")]
    public void Bad_values_fail_naming_the_file_the_key_and_the_value(string members, string key, string found)
    {
        // The files' keys the members do not give themselves (a key given twice is refused on its own).
        string files = string.Join(", ", Files.Split(", ").Where(f => !members.Contains(f.Trim().Split(':')[0], StringComparison.Ordinal)));
        var error = Assert.Throws<JooldConfigException>(() => Read($$"""{ {{members}}, {{files}} }"""));
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{Source}: '{key}' is {found}; expected ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("certificate", "missing")]
    [InlineData("key", "missing")]
    [InlineData("ca", "missing")]
    public void Each_file_is_required(string key, string found)
    {
        string members = string.Join(", ", new[] { "certificate", "key", "ca" }.Where(k => k != key).Select(k => $"\"{k}\": \"/x/{k}.pem\""));
        var error = Assert.Throws<JooldConfigException>(() => Read($$"""{"listen": "[::]:6443", {{members}}}"""));
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{Source}: '{key}' is {found}; expected the path of ", error.Message, StringComparison.Ordinal);
        Assert.Throws<JooldConfigException>(() => Read($$"""{"listen": "[::]:6443", {{members}}, "{{key}}": ""}"""));
    }

    [Fact]
    public void Neither_listen_nor_peers_is_an_error()
    {
        var error = Assert.Throws<JooldConfigException>(() => Read($$"""{ {{Files}} }"""));
        Assert.Equal($"{Source}: the Tls section has neither 'listen' nor 'peers'; expected at least one (a node may accept, dial, or both).", error.Message);
    }

    [Theory]
    [InlineData("\"listen\": 6443", "listen", "a number (6443); expected a string")]
    [InlineData("\"peers\": \"gw2:6443\"", "peers", "a string (\"gw2:6443\"); expected an array of \"host:port\"")]
    [InlineData("\"peers\": [6443]", "peers[0]", "a number (6443); expected \"host:port\"")]
    [InlineData("\"listen\": \"[::]:6443\", \"queue\": \"big\"", "queue", "a string (\"big\"); expected an integer")]
    [InlineData("\"listen\": \"[::]:6443\", \"queue\": 2.5e9", "queue", "2.5e9; expected an integer")]
    [InlineData("\"listen\": \"[::]:6443\", \"resync interval\": \"10s\"", "resync interval", "a string (\"10s\"); expected a number of seconds")]
    [InlineData("\"listen\": \"[::]:6443\", \"certificate\": 1", "certificate", "a number (1); expected a string")]
    public void Values_of_the_wrong_JSON_type_fail_naming_the_key(string members, string key, string text)
    {
        // The files' keys the members do not give themselves (a key given twice is refused on its own).
        string files = string.Join(", ", Files.Split(", ").Where(f => !members.Contains(f.Trim().Split(':')[0], StringComparison.Ordinal)));
        var error = Assert.Throws<JooldConfigException>(() => Read($$"""{ {{members}}, {{files}} }"""));
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{Source}: '{key}' is {text}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_section_the_plugin_registers_nothing()
    {
        var services = new ServiceCollection();
        new TlsPlugin().ConfigureServices(services, new PluginContext("Tls", null, "/plugins/Tls"));
        Assert.Empty(services);
    }

    [Fact]
    public async Task With_a_section_one_transport_is_both_the_peer_source_and_the_peer_sink()
    {
        using var pki = new TestPki();
        var node = pki.Issue("node");
        var services = new ServiceCollection();
        string json = $$"""{"listen": "127.0.0.1:0", "certificate": "{{node.CertificateFile}}", "key": "{{node.KeyFile}}", "ca": "{{node.CaFile}}"}""";
        new TlsPlugin().ConfigureServices(services, new PluginContext("Tls", ConfigSection.Parse(Source, json), "/plugins/Tls"));
        await using var provider = services.BuildServiceProvider();
        var source = Assert.Single(provider.GetServices<ISessionSource>());
        var sink = Assert.Single(provider.GetServices<ISessionSink>());
        Assert.Same(source, sink);
        Assert.IsType<TlsTransport>(source);
        Assert.Equal(SessionSide.Peer, source.Side);
        Assert.Equal("tls 127.0.0.1:0 -> (no peers)", source.Name);
    }
}
