using Joold.Configuration;
using Joold.Plugins.Multicast;

namespace Joold.Multicast.Tests;

/// <summary>netsocket.json as C joold reads it (spec 5.3), and the plugin's additions.</summary>
public class MulticastOptionsTests
{
    private static MulticastOptions Parse(string json) =>
        MulticastOptions.FromSection(ConfigSection.Parse("/etc/joold/netsocket.json", json));

    private static JooldConfigException Reject(string json) => Assert.Throws<JooldConfigException>(() => Parse(json));

    [Fact]
    public void Only_the_address_gives_the_original_defaults()
    {
        var options = Parse("""{"multicast address": "ff08::db8:64:64"}""");

        Assert.Equal("ff08::db8:64:64", options.Address);
        Assert.Equal(6400, options.Port);
        Assert.Null(options.InInterface);
        Assert.Null(options.OutInterface);
        Assert.Equal(1, options.Ttl);
        Assert.Equal(4 * 1024 * 1024, options.ReceiveBuffer);
        Assert.Equal(0, options.SendBuffer);
        Assert.Equal("/etc/joold/netsocket.json", options.Source);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var options = Parse("""
            {
              "multicast address": "233.252.0.64",
              "multicast port": "6464",
              "in interface": "198.51.100.1",
              "out interface": "198.51.100.2",
              "ttl": 7,
              "receive buffer": 1048576,
              "send buffer": 262144
            }
            """);

        Assert.Equal("233.252.0.64", options.Address);
        Assert.Equal(6464, options.Port);
        Assert.Equal("198.51.100.1", options.InInterface);
        Assert.Equal("198.51.100.2", options.OutInterface);
        Assert.Equal(7, options.Ttl);
        Assert.Equal(1048576, options.ReceiveBuffer);
        Assert.Equal(262144, options.SendBuffer);
    }

    [Fact]
    public void Keys_match_case_insensitively_and_a_key_given_twice_is_refused()
    {
        var options = Parse("""{"Multicast ADDRESS": "ff08::db8:64:64", "TTL": 3}""");
        Assert.Equal("ff08::db8:64:64", options.Address);
        Assert.Equal(3, options.Ttl);

        var error = Assert.Throws<JooldConfigException>(() => Parse("""{"Multicast ADDRESS": "ff08::db8:64:64", "multicast address": "ff08::1"}"""));
        Assert.Contains("the key 'multicast address' appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_address_is_rejected_naming_the_file_and_the_key()
    {
        var error = Reject("""{"multicast port": "6400"}""");

        Assert.Contains("/etc/joold/netsocket.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("'multicast address'", error.Message, StringComparison.Ordinal);
        Assert.Contains("mandatory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("""{"multicast address": 233}""", "'multicast address' is a number (233); expected a string")]
    [InlineData("""{"multicast address": ""}""", "'multicast address' is \"\"; expected a non-empty value")]
    [InlineData("""{"multicast address": " ff08::1"}""", "'multicast address' is \" ff08::1\"")]
    [InlineData("""{"multicast address": "192.0.2.1"}""", "'multicast address' is \"192.0.2.1\", which is not a multicast address")]
    [InlineData("""{"multicast address": "2001:db8::1"}""", "'multicast address' is \"2001:db8::1\", which is not a multicast address")]
    [InlineData("""{"multicast address": "ff08::1", "multicast port": 6400}""", "'multicast port' is a number (6400); expected a string such as \"6400\"")]
    [InlineData("""{"multicast address": "ff08::1", "multicast port": "0"}""", "'multicast port' is \"0\"; expected a UDP port number from 1 to 65535")]
    [InlineData("""{"multicast address": "ff08::1", "multicast port": "65536"}""", "'multicast port' is \"65536\"; expected a UDP port number from 1 to 65535")]
    [InlineData("""{"multicast address": "ff08::1", "multicast port": "-1"}""", "'multicast port' is \"-1\"")]
    [InlineData("""{"multicast address": "ff08::1", "multicast port": "joold"}""", "'multicast port' is \"joold\"")]
    [InlineData("""{"multicast address": "ff08::1", "multicast port": " 6400"}""", "'multicast port' is \" 6400\"")]
    [InlineData("""{"multicast address": "ff08::1", "ttl": 256}""", "'ttl' is 256; expected an integer from 0 to 255")]
    [InlineData("""{"multicast address": "ff08::1", "ttl": -1}""", "'ttl' is -1; expected an integer from 0 to 255")]
    [InlineData("""{"multicast address": "ff08::1", "ttl": "1"}""", "'ttl' is a string (\"1\"); expected an integer")]
    [InlineData("""{"multicast address": "ff08::1", "ttl": 1e20}""", "'ttl' is 1e20; expected an integer")]
    [InlineData("""{"multicast address": "ff08::1", "in interface": 3}""", "'in interface' is a number (3); expected a string")]
    [InlineData("""{"multicast address": "ff08::1", "out interface": true}""", "'out interface' is a boolean (true); expected a string")]
    [InlineData("""{"multicast address": "ff08::1", "in interface": ""}""", "'in interface' is \"\"")]
    [InlineData("""{"multicast address": "ff08::1", "in interface": "2001:db8::1"}""", "'in interface' is \"2001:db8::1\"; with an IPv6 group it must be the name of the interface")]
    [InlineData("""{"multicast address": "ff08::1", "out interface": "192.0.2.1"}""", "'out interface' is \"192.0.2.1\"; with an IPv6 group it must be the name of the interface")]
    [InlineData("""{"multicast address": "233.252.0.64", "in interface": "eth0"}""", "'in interface' is \"eth0\"; with an IPv4 group it must be the IPv4 address of the interface")]
    [InlineData("""{"multicast address": "233.252.0.64", "out interface": "2001:db8::1"}""", "'out interface' is \"2001:db8::1\"; with an IPv4 group it must be the IPv4 address")]
    [InlineData("""{"multicast address": "ff08::1", "receive buffer": -1}""", "'receive buffer' is -1; expected an integer from 0 to")]
    [InlineData("""{"multicast address": "ff08::1", "send buffer": "big"}""", "'send buffer' is a string (\"big\"); expected an integer")]
    public void Bad_values_are_rejected_with_one_line_naming_file_key_and_value(string json, string expected)
    {
        var error = Reject(json);

        Assert.StartsWith("/etc/joold/netsocket.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("6400", 6400)]
    [InlineData("65535", 65535)]
    public void Ports_are_strings_from_1_to_65535(string port, int expected)
    {
        var options = Parse($$"""{"multicast address": "ff08::1", "multicast port": "{{port}}"}""");

        Assert.Equal(expected, options.Port);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("255", 255)]
    [InlineData("1.9", 1)]
    [InlineData("254.99", 254)]
    public void Ttl_fractions_are_truncated_as_cjson_does(string ttl, int expected)
    {
        var options = Parse($$"""{"multicast address": "ff08::1", "ttl": {{ttl}}}""");

        Assert.Equal(expected, options.Ttl);
    }

    [Fact]
    public void A_host_name_is_kept_for_resolution_at_start()
    {
        var options = Parse("""{"multicast address": "sync-group.example", "in interface": "eth0"}""");

        Assert.Equal("sync-group.example", options.Address);
        Assert.Equal("eth0", options.InInterface);
    }

    [Fact]
    public void Unknown_keys_are_ignored()
    {
        var options = Parse("""{"multicast address": "233.252.0.64", "comment": 42, "instance": "default"}""");

        Assert.Equal("233.252.0.64", options.Address);
    }
}
