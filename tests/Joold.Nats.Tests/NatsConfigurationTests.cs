using Joold.Configuration;
using Joold.Plugins;
using Joold.Plugins.Nats;
using Joold.Relay;
using Joold.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Nats.Tests;

/// <summary>The Nats section: what it reads, its defaults, and one line naming the key for every mistake.</summary>
public sealed class NatsConfigurationTests : IDisposable
{
    private const string Source = "/etc/joold/gateway.json";

    private readonly TempDirectory _files = new("joold-nats-config-");

    private static NatsSettings Read(string json) => NatsSettings.FromSection(ConfigSection.Parse(Source, json));

    public void Dispose() => _files.Dispose();

    [Fact]
    public void A_minimal_section_takes_the_defaults()
    {
        var settings = Read("""{"servers": ["nats://10.0.0.1:4222"], "node": "gw1"}""");

        Assert.Equal(["nats://10.0.0.1:4222"], settings.Servers);
        Assert.Equal("gw1", settings.Node);
        Assert.Equal("default", settings.Instance);
        Assert.Equal("JOOLD", settings.Stream);
        Assert.Equal(TimeSpan.FromMinutes(125), settings.MaxAge);
        Assert.Equal(1, settings.Replicas);
        Assert.Equal(16384, settings.Buffer);
        Assert.Null(settings.CredentialsFile);
        Assert.Null(settings.TlsCaFile);
        Assert.Equal("joold.default.gw1", settings.Subject);
        Assert.Equal("joold.default.*", settings.GroupSubjects);
        Assert.Equal("joold_default_gw1", settings.ConsumerName);
    }

    [Fact]
    public void The_default_max_age_outlives_Jools_longest_default_session_timeout()
    {
        // TCP established: 2:00:00 in Jool (TCP_EST), at least 2:04:00 by RFC 6146.
        Assert.True(NatsSettings.DefaultMaxAge > new TimeSpan(2, 4, 0));
        Assert.True(NatsSettings.DefaultMaxAge <= new TimeSpan(2, 10, 0));
    }

    [Fact]
    public void Every_key_is_read_case_insensitively()
    {
        string creds = _files.File("nats.creds", "-----BEGIN NATS USER JWT-----");
        string ca = _files.File("ca.pem", "ca");
        string cert = _files.File("cert.pem", "cert");
        string key = _files.File("key.pem", "key");

        var settings = Read($$"""
            {
              "Servers": ["nats://10.0.0.1:4222", "tls://nats.example.net:4443", "nats://user:secret@[2001:db8::1]:4222"],
              "NODE": "gw-2", "Instance": "nat64", "Stream": "JOOLD_SITE_1", "Max Age": "1.02:03:04",
              "replicas": 3, "buffer": 100, "credentials": "{{creds}}",
              "tls ca": "{{ca}}", "tls cert": "{{cert}}", "tls key": "{{key}}"
            }
            """);

        Assert.Equal(3, settings.Servers.Count);
        Assert.Equal(("gw-2", "nat64", "JOOLD_SITE_1"), (settings.Node, settings.Instance, settings.Stream));
        Assert.Equal(new TimeSpan(1, 2, 3, 4), settings.MaxAge);
        Assert.Equal((3, 100), (settings.Replicas, settings.Buffer));
        Assert.Equal((creds, ca, cert, key), (settings.CredentialsFile, settings.TlsCaFile, settings.TlsCertFile, settings.TlsKeyFile));
        Assert.Equal("joold.nat64.gw-2", settings.Subject);
        Assert.Equal("joold_nat64_gw-2", settings.ConsumerName);
    }

    [Theory]
    [InlineData("2:05:00", 2, 5, 0)]
    [InlineData("02:05:00", 2, 5, 0)]
    [InlineData("00:00:01", 0, 0, 1)]
    [InlineData("23:59:59", 23, 59, 59)]
    public void Max_age_reads_hours_minutes_seconds(string text, int hours, int minutes, int seconds) =>
        Assert.Equal(new TimeSpan(hours, minutes, seconds), Read($$"""{"servers": ["nats://127.0.0.1:4222"], "node": "a", "max age": "{{text}}"}""").MaxAge);

    [Theory]
    [InlineData("""{"node": "gw1"}""", "servers", "missing")]
    [InlineData("""{"servers": [], "node": "gw1"}""", "servers", "an empty array")]
    [InlineData("""{"servers": [null], "node": "gw1"}""", "servers[0]", "null")]
    [InlineData("""{"servers": ["10.0.0.1:4222"], "node": "gw1"}""", "servers[0]", "\"10.0.0.1:4222\"")]
    [InlineData("""{"servers": ["http://10.0.0.1:4222"], "node": "gw1"}""", "servers[0]", "\"http://10.0.0.1:4222\"")]
    [InlineData("""{"servers": ["nats://10.0.0.1:4222/x"], "node": "gw1"}""", "servers[0]", "\"nats://10.0.0.1:4222/x\"")]
    [InlineData("""{"servers": ["nats://10.0.0.1:99999"], "node": "gw1"}""", "servers[0]", "\"nats://10.0.0.1:99999\"")]
    [InlineData("""{"servers": ["nats://a:4222", "nats://a:4222"], "node": "gw1"}""", "servers[1]", "\"nats://a:4222\"")]
    [InlineData("""{"servers": ["nats://a:4222"]}""", "node", "missing")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": ""}""", "node", "\"\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "gw.1"}""", "node", "\"gw.1\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "gw_1"}""", "node", "\"gw_1\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "gw*"}""", "node", "\"gw*\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "gw 1"}""", "node", "\"gw 1\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "instance": "nat>64"}""", "instance", "\"nat>64\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "stream": "JOOLD.1"}""", "stream", "\"JOOLD.1\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "stream": ""}""", "stream", "\"\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "max age": "2h"}""", "max age", "\"2h\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "max age": "00:00:00"}""", "max age", "\"00:00:00\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "max age": "400.00:00:00"}""", "max age", "\"400.00:00:00\"")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "replicas": 0}""", "replicas", "0")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "replicas": 6}""", "replicas", "6")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "buffer": 0}""", "buffer", "0")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "credentials": ""}""", "credentials", "an empty string")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "credentials": "/nonexistent/nats.creds"}""", "credentials", "\"/nonexistent/nats.creds\", which does not exist")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "tls ca": "/nonexistent/ca.pem"}""", "tls ca", "\"/nonexistent/ca.pem\", which does not exist")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "tls cert": "/nonexistent/c.pem"}""", "tls cert", "\"/nonexistent/c.pem\", which does not exist")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "tls key": "/nonexistent/k.pem"}""", "tls key", "\"/nonexistent/k.pem\", which does not exist")]
    public void Each_mistake_is_one_line_naming_the_file_the_key_and_the_value(string json, string key, string found)
    {
        var error = Assert.Throws<JooldConfigException>(() => Read(json));

        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{Source}: '{key}' is {found}; expected ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_client_certificate_needs_its_key_and_the_other_way_round()
    {
        string cert = _files.File("cert.pem", "cert");
        string key = _files.File("key.pem", "key");

        var noKey = Assert.Throws<JooldConfigException>(() => Read($$"""{"servers": ["tls://a:4222"], "node": "a", "tls cert": "{{cert}}"}"""));
        var noCert = Assert.Throws<JooldConfigException>(() => Read($$"""{"servers": ["tls://a:4222"], "node": "a", "tls key": "{{key}}"}"""));

        Assert.Equal($"{Source}: 'tls key' is missing; expected the PEM private key of 'tls cert' (the two go together).", noKey.Message);
        Assert.Equal($"{Source}: 'tls cert' is missing; expected the PEM client certificate of 'tls key' (the two go together).", noCert.Message);
    }

    [Fact]
    public void The_expected_forms_are_spelled_out()
    {
        Assert.Equal(
            $"{Source}: 'servers[0]' is \"10.0.0.1:4222\"; expected a server URL such as \"nats://10.0.0.1:4222\" or \"tls://nats.example.net:4222\".",
            Assert.Throws<JooldConfigException>(() => Read("""{"servers": ["10.0.0.1:4222"], "node": "a"}""")).Message);
        Assert.Equal(
            $"{Source}: 'node' is missing; expected this gateway's name, unique in the group: 1 to 64 letters, digits and '-'.",
            Assert.Throws<JooldConfigException>(() => Read("""{"servers": ["nats://a:4222"]}""")).Message);
        Assert.Equal(
            $"{Source}: 'max age' is \"2h\"; expected a duration \"[d.]hh:mm:ss\" from \"00:00:01\" to \"366.00:00:00\", such as \"02:05:00\".",
            Assert.Throws<JooldConfigException>(() => Read("""{"servers": ["nats://a:4222"], "node": "a", "max age": "2h"}""")).Message);
    }

    [Theory]
    [InlineData("""{"servers": "nats://a:4222", "node": "a"}""", "servers")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": 1}""", "node")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "replicas": "3"}""", "replicas")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "buffer": 1.5}""", "buffer")]
    [InlineData("""{"servers": ["nats://a:4222"], "node": "a", "max age": 7500}""", "max age")]
    public void Values_of_the_wrong_JSON_type_fail_naming_the_key(string json, string key)
    {
        var error = Assert.Throws<JooldConfigException>(() => Read(json));

        Assert.StartsWith(Source + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Without_a_section_the_plugin_registers_nothing()
    {
        var services = new ServiceCollection();

        new NatsPlugin().ConfigureServices(services, new PluginContext("Nats", null, "/plugins/Nats"));

        Assert.Empty(services);
    }

    [Fact]
    public async Task With_a_section_the_plugin_registers_one_transport_as_source_and_sink()
    {
        var services = new ServiceCollection();
        new NatsPlugin().ConfigureServices(services, new PluginContext("Nats", ConfigSection.Parse(Source, """{"servers": ["nats://127.0.0.1:4222"], "node": "a"}"""), "/plugins/Nats"));
        await using var provider = services.BuildServiceProvider();

        var source = Assert.Single(provider.GetServices<ISessionSource>());
        var sink = Assert.Single(provider.GetServices<ISessionSink>());

        Assert.Same(source, sink);
        var transport = Assert.IsType<NatsTransport>(source);
        Assert.Equal(SessionSide.Peer, transport.Side);
        Assert.Equal("nats joold.default.a on JOOLD", transport.Name);
    }

    [Fact]
    public void A_bad_section_fails_at_registration_naming_the_key()
    {
        var error = Assert.Throws<JooldConfigException>(() => new NatsPlugin().ConfigureServices(
            new ServiceCollection(),
            new PluginContext("Nats", ConfigSection.Parse(Source, """{"servers": ["nats://127.0.0.1:4222"], "node": "a.b"}"""), "/plugins/Nats")));

        Assert.Equal("node", error.Key);
    }
}
