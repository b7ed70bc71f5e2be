using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

/// <summary>
/// Inputs the config fuzz target (fuzz/, target "config") found: a \u escape of half a surrogate pair parses, then
/// threw InvalidOperationException out of the plugin that read the string, instead of one config error.
/// </summary>
public sealed class ConfigSectionFuzzFindingsTests
{
    private const string File = "/etc/joold/netsocket.json";

    [Theory]
    // The fuzzer's first two findings, as it found them: a broken key, a broken value.
    [InlineData("""{ "multicast address": "2;3.0.64", "multicast port": "6464", "in int\ud800erface": "192.1", "ttl": 3 }""", "at the top level")]
    [InlineData("""{ "multicast address": "ff08::db:6\ud8004", "multicast port": "6464" }""", "in 'multicast address'")]
    [InlineData("""{ "Tls": { "peers": ["gw2:6443", "\udc00:6443"] } }""", "in 'Tls.peers[1]'")]
    [InlineData("""{ "Nats": { "servers": { "\ud83d": 1 } } }""", "in 'Nats.servers'")]
    public void Half_a_surrogate_pair_is_a_syntax_error_naming_the_file_and_where(string json, string where)
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, json));

        Assert.StartsWith($"{File}: JSON syntax error {where}: a \\u escape is half a surrogate pair", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_surrogate_pair_still_reads()
    {
        var section = ConfigSection.Parse(File, """{ "in interface": "eth\ud83d\ude00", "\ud83d\ude00": ["\u00e9"] }""");

        Assert.Equal("eth\U0001F600", section.GetString("in interface", null));
        Assert.True(section.TryGetProperty("\U0001F600", out _));
    }
}
