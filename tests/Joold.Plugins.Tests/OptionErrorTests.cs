using System.Text.Json;
using System.Text.Json.Nodes;
using Joold.Configuration;
using Joold.Plugins.JoolNetlink;
using Joold.Plugins.Multicast;
using Joold.Plugins.Nats;
using Joold.Plugins.Prometheus;
using Joold.Plugins.StatsUdp;
using Joold.Plugins.Tls;
using Joold.Plugins.Unicast;

namespace Joold.Plugins.Tests;

/// <summary>
/// Every plugin's options, fed values of every wrong kind, duplicate keys, empty and truncated files: each problem
/// is one <see cref="JooldConfigException"/> line naming the file and the key, never a .NET type name.
/// </summary>
public class OptionErrorTests
{
    private static readonly string[] DotNetWords = ["System.", "Nullable", "BytePositionInLine", "isFinalBlock", "LineNumber", "Path: $", "JsonValueKind", "Exception"];

    private static readonly string[] WrongValues = ["\"x\"", "12", "1.5", "-1", "1e300", "true", "null", "[]", "[1]", "{\"a\": 1}"];

    /// <summary>Each plugin: a valid section, as its README shows it, and what reads it.</summary>
    private static readonly Dictionary<string, (string File, string Json, Action<ConfigSection> Read)> Plugins = new()
    {
        ["Unicast"] = ("unicast.json", """{"listen": "127.0.0.1:7000", "peers": ["127.0.0.1:7001"], "receive buffer": 1048576}""", s => UnicastSettings.FromSection(s)),
        ["Multicast"] = ("netsocket.json", """{"multicast address": "233.252.0.64", "multicast port": "6464", "in interface": "192.0.2.1", "out interface": "192.0.2.1", "ttl": 3, "receive buffer": 1048576, "send buffer": 1048576}""", s => MulticastOptions.FromSection(s)),
        ["JoolNetlink"] = ("modsocket.json", """{"instance": "default", "netlink peer": 0, "receive buffer": 1048576}""", s => JoolNetlinkOptions.FromSection(s)),
        ["StatsUdp"] = ("stats.json", """{"address": "::", "port": "6401"}""", s => StatsUdpOptions.FromSection(s)),
        ["Tls"] = ("tls.json", """{"listen": "[::]:6443", "peers": ["gw2.example.net:6443"], "certificate": "/etc/joold/tls/node.pem", "key": "/etc/joold/tls/node.key", "ca": "/etc/joold/tls/ca.pem", "queue": 100, "resync interval": 10}""", s => TlsSettings.FromSection(s)),
        ["Nats"] = ("nats.json", """{"servers": ["nats://10.0.0.1:4222"], "node": "gw1", "instance": "default", "stream": "JOOLD", "max age": "02:05:00", "replicas": 1, "buffer": 100, "credentials": "/etc/joold/gw1.creds", "tls ca": "/etc/joold/ca.pem", "tls cert": "/etc/joold/gw1.pem", "tls key": "/etc/joold/gw1.key"}""", s => NatsSettings.FromSection(s)),
        ["Prometheus"] = ("prometheus.json", """{"listen": "127.0.0.1:9464"}""", s => PrometheusOptions.FromSection(s)),
    };

    public static TheoryData<string> PluginNames => [.. Plugins.Keys];

    [Theory]
    [MemberData(nameof(PluginNames))]
    public void A_value_of_any_wrong_kind_names_the_file_and_the_key_in_words(string plugin)
    {
        var (file, json, read) = Plugins[plugin];
        string? baseline = Outcome(file, json, read);
        var keys = JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToArray();
        int refused = 0;

        foreach (string key in keys)
        {
            foreach (string wrong in WrongValues)
            {
                var section = JsonNode.Parse(json)!.AsObject();
                section[key] = JsonNode.Parse(wrong);
                string? outcome = Outcome(file, section.ToJsonString(), read);
                if (outcome is null || outcome == baseline)
                {
                    continue; // a value of that kind is accepted for this key
                }

                refused++;
                string what = $"{plugin} '{key}' = {wrong}: {outcome}";
                Assert.StartsWith(file + ": ", outcome, StringComparison.Ordinal);
                Assert.True(outcome.Contains($"'{key}'", StringComparison.Ordinal) || outcome.Contains($"'{key}[", StringComparison.Ordinal), what);
                Assert.True(outcome.Contains("expected", StringComparison.Ordinal) || outcome.Contains(" must be ", StringComparison.Ordinal), what);
                Assert.DoesNotContain('\n', outcome);
                Assert.All(DotNetWords, word => Assert.False(outcome.Contains(word, StringComparison.Ordinal), what));
            }
        }

        Assert.True(refused >= keys.Length, $"only {refused} wrong values refused for {plugin}");
    }

    [Theory]
    [MemberData(nameof(PluginNames))]
    public void A_key_given_twice_is_refused_naming_the_key(string plugin)
    {
        var (file, json, read) = Plugins[plugin];
        var first = JsonNode.Parse(json)!.AsObject().First();
        string twice = json.TrimEnd('}') + $", \"{first.Key.ToUpperInvariant()}\": {first.Value!.ToJsonString()}}}";

        string? outcome = Outcome(file, twice, read);

        Assert.Equal(
            $"{file}: the key '{first.Key.ToUpperInvariant()}' appears twice (as '{first.Key}' and '{first.Key.ToUpperInvariant()}'); keys are case-insensitive, give each once.",
            outcome);
    }

    [Theory]
    [MemberData(nameof(PluginNames))]
    public void An_empty_file_says_it_is_empty(string plugin)
    {
        var (file, _, read) = Plugins[plugin];

        Assert.Equal($"{file}: the file is empty; expected a JSON object.", Outcome(file, "  \n", read));
    }

    [Theory]
    [MemberData(nameof(PluginNames))]
    public void A_truncated_file_says_the_json_ends_early(string plugin)
    {
        var (file, json, read) = Plugins[plugin];
        string pretty = JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        string truncated = pretty[..(pretty.LastIndexOf(':') + 1)];

        string? outcome = Outcome(file, truncated, read);

        Assert.Equal($"{file}: the JSON ends early at line {truncated.Count(c => c == '\n') + 1}; expected the rest of the object (a value, a closing quote, '}}' or ']').", outcome);
    }

    /// <summary>Null when the plugin accepts the text, else the one line it refused it with; any other exception fails the test.</summary>
    private static string? Outcome(string file, string json, Action<ConfigSection> read)
    {
        try
        {
            read(ConfigSection.Parse(file, json));
            return null;
        }
        catch (JooldConfigException e)
        {
            return e.Message;
        }
    }
}
