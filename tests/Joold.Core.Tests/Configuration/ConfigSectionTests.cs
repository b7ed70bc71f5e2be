using System.Text.Json;
using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

public class ConfigSectionTests
{
    private const string File = "/etc/joold/netsocket.json";

    [Fact]
    public void Keys_match_case_insensitively()
    {
        var section = ConfigSection.Parse(File, """{ "Multicast Address": "ff08::db8:64:64", "TTL": 3, "Enabled": true }""");

        Assert.Equal("ff08::db8:64:64", section.GetString("multicast address", null));
        Assert.Equal(3, section.GetInt32("ttl", 1, 0, 255));
        Assert.True(section.GetBoolean("enabled", false));
    }

    [Fact]
    public void A_key_given_twice_in_any_case_is_refused_naming_the_key()
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, """{ "ttl": 2, "TTL": 3 }"""));

        Assert.Equal($"{File}: the key 'TTL' appears twice (as 'ttl' and 'TTL'); keys are case-insensitive, give each once.", error.Message);
    }

    [Fact]
    public void Unknown_keys_are_ignored_and_missing_keys_keep_the_default()
    {
        var section = ConfigSection.Parse(File, """{ "colour": [1, 2], "nested": { "ttl": 9 } }""");

        Assert.Equal("6400", section.GetString("multicast port", "6400"));
        Assert.Null(section.GetString("in interface", null));
        Assert.Equal(1, section.GetInt32("ttl", 1, 0, 255));
        Assert.Equal(-5L, section.GetInt64("big", -5, long.MinValue, long.MaxValue));
        Assert.True(section.GetBoolean("flag", true));
        Assert.False(section.TryGetProperty("ttl", out _));
    }

    [Fact]
    public void A_number_where_a_string_is_expected_is_rejected_naming_file_key_found_and_expected()
    {
        var section = ConfigSection.Parse(File, """{ "multicast port": 6400 }""");

        var error = Assert.Throws<JooldConfigException>(() => section.GetString("multicast port", "6400"));

        Assert.Equal($"{File}: 'multicast port' is a number (6400); expected a string.", error.Message);
        Assert.Equal("multicast port", error.Key);
    }

    [Fact]
    public void A_string_where_a_number_is_expected_is_rejected_naming_file_key_found_and_expected()
    {
        var section = ConfigSection.Parse(File, """{ "ttl": "5" }""");

        var error = Assert.Throws<JooldConfigException>(() => section.GetInt32("ttl", 1, 0, 255));

        Assert.Equal($"{File}: 'ttl' is a string (\"5\"); expected an integer.", error.Message);
        Assert.Equal("ttl", error.Key);
    }

    [Theory]
    [InlineData("null", "null")]
    [InlineData("[1]", "an array")]
    [InlineData("{}", "an object")]
    [InlineData("true", "a boolean (true)")]
    public void Other_kinds_are_named_in_the_rejection(string json, string found)
    {
        var section = ConfigSection.Parse(File, $$"""{ "in interface": {{json}} }""");

        var error = Assert.Throws<JooldConfigException>(() => section.GetString("in interface", null));

        Assert.Equal($"{File}: 'in interface' is {found}; expected a string.", error.Message);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("255", 255)]
    [InlineData("1.9", 1)]
    [InlineData("254.99", 254)]
    [InlineData("-0.5", 0)]
    [InlineData("1e2", 100)]
    public void Integers_in_range_are_accepted_and_fractions_truncated(string json, int expected)
    {
        var section = ConfigSection.Parse(File, $$"""{ "ttl": {{json}} }""");

        Assert.Equal(expected, section.GetInt32("ttl", 1, 0, 255));
    }

    [Theory]
    [InlineData("256", "256")]
    [InlineData("-1", "-1")]
    [InlineData("255.5e1", "2555")]
    public void Integers_out_of_range_are_rejected_with_the_range(string json, string found)
    {
        var section = ConfigSection.Parse(File, $$"""{ "ttl": {{json}} }""");

        var error = Assert.Throws<JooldConfigException>(() => section.GetInt32("ttl", 1, 0, 255));

        Assert.Equal($"{File}: 'ttl' is {found}; expected an integer from 0 to 255.", error.Message);
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("1e300")]
    [InlineData("-1e300")]
    public void Values_beyond_the_32_bit_range_are_not_valid_integers(string json)
    {
        var section = ConfigSection.Parse(File, $$"""{ "ttl": {{json}} }""");

        var error = Assert.Throws<JooldConfigException>(() => section.GetInt32("ttl", 1, int.MinValue, int.MaxValue));

        Assert.Equal($"{File}: 'ttl' is {json}; expected an integer.", error.Message);
    }

    [Fact]
    public void The_32_bit_extremes_are_valid_integers()
    {
        var section = ConfigSection.Parse(File, """{ "low": -2147483648, "high": 2147483647.9 }""");

        Assert.Equal(int.MinValue, section.GetInt32("low", 0, int.MinValue, int.MaxValue));
        Assert.Equal(int.MaxValue, section.GetInt32("high", 0, int.MinValue, int.MaxValue));
    }

    [Fact]
    public void GetInt64_checks_its_own_range()
    {
        var section = ConfigSection.Parse(File, """{ "timeout": 5000000000, "huge": 1e20 }""");

        Assert.Equal(5_000_000_000L, section.GetInt64("timeout", 0, 0, long.MaxValue));
        var error = Assert.Throws<JooldConfigException>(() => section.GetInt64("huge", 0, 0, 10_000_000_000));
        Assert.Equal($"{File}: 'huge' is 1e20; expected an integer from 0 to 10000000000.", error.Message);
    }

    [Fact]
    public void GetInt64_is_exact_at_the_64_bit_limits()
    {
        var section = ConfigSection.Parse(File, """{ "max": 9223372036854775807, "above": 9223372036854775808, "exact": 9007199254740993, "min": -9223372036854775808 }""");

        Assert.Equal(long.MaxValue, section.GetInt64("max", 0, 0, long.MaxValue));
        Assert.Equal(long.MinValue, section.GetInt64("min", 0, long.MinValue, 0));
        Assert.Equal(9_007_199_254_740_993, section.GetInt64("exact", 0, 0, long.MaxValue));
        Assert.Throws<JooldConfigException>(() => section.GetInt64("exact", 0, 0, 9_007_199_254_740_992));
        var error = Assert.Throws<JooldConfigException>(() => section.GetInt64("above", 0, 0, long.MaxValue));
        Assert.Equal($"{File}: 'above' is 9223372036854775808; expected an integer from 0 to {long.MaxValue}.", error.Message);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void Numbers_too_large_for_a_double_are_rejected(string json)
    {
        var section = ConfigSection.Parse(File, $$"""{ "ttl": {{json}} }""");

        var error = Assert.Throws<JooldConfigException>(() => section.GetInt32("ttl", 1, 0, 255));

        Assert.StartsWith($"{File}: 'ttl' is ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("expected an integer.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t\n")]
    public void An_empty_file_says_so(string json)
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, json));

        Assert.Equal($"{File}: the file is empty; expected a JSON object.", error.Message);
    }

    [Fact]
    public void Booleans_must_be_json_true_or_false()
    {
        var section = ConfigSection.Parse(File, """{ "yes": true, "no": false, "quoted": "true", "one": 1 }""");

        Assert.True(section.GetBoolean("yes", false));
        Assert.False(section.GetBoolean("no", true));
        Assert.Equal(
            $"{File}: 'quoted' is a string (\"true\"); expected true or false.",
            Assert.Throws<JooldConfigException>(() => section.GetBoolean("quoted", false)).Message);
        Assert.Equal(
            $"{File}: 'one' is a number (1); expected true or false.",
            Assert.Throws<JooldConfigException>(() => section.GetBoolean("one", false)).Message);
    }

    [Fact]
    public void Malformed_json_names_the_file_line_and_column()
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, "{\n  \"ttl\": ,\n}"));

        Assert.StartsWith($"{File}:2:10: JSON syntax error: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Path:", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Theory]
    [InlineData("[1, 2]", "an array")]
    [InlineData("42", "a number (42)")]
    [InlineData("\"text\"", "a string (\"text\")")]
    [InlineData("null", "null")]
    public void A_root_that_is_not_an_object_is_rejected(string json, string found)
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, json));

        Assert.Equal($"{File}: the configuration is {found}; expected a JSON object.", error.Message);
    }

    [Fact]
    public void Long_values_are_described_by_kind_only()
    {
        var section = ConfigSection.Parse(File, $$"""{ "ttl": "{{new string('x', 60)}}" }""");

        var error = Assert.Throws<JooldConfigException>(() => section.GetInt32("ttl", 1, 0, 255));

        Assert.Equal($"{File}: 'ttl' is a string; expected an integer.", error.Message);
    }

    [Fact]
    public void Bind_fills_an_options_type_case_insensitively()
    {
        var section = ConfigSection.Parse(File, """{ "ADDRESS": "::", "port": 6401, "unknown": 1 }""");

        var options = section.Bind<BindTarget>();

        Assert.Equal("::", options.Address);
        Assert.Equal(6401, options.Port);
    }

    [Fact]
    public void Bind_errors_name_the_file_and_the_path_of_the_bad_value()
    {
        var section = ConfigSection.Parse(File, """{ "address": "::", "port": "sixty-four" }""");

        var error = Assert.Throws<JooldConfigException>(section.Bind<BindTarget>);

        Assert.Equal($"{File}: 'port' is a string (\"sixty-four\"); expected a whole number.", error.Message);
    }

    [Fact]
    public void Load_reads_the_file_and_names_it_in_later_errors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"joold-config-{Guid.NewGuid():N}.json");
        try
        {
            System.IO.File.WriteAllText(path, """{ "ttl": "x" }""");

            var section = ConfigSection.Load(path);

            Assert.Equal(path, section.Source);
            Assert.StartsWith($"{path}: 'ttl'", Assert.Throws<JooldConfigException>(() => section.GetInt32("ttl", 1, 0, 255)).Message, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void Load_on_a_missing_file_names_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"joold-missing-{Guid.NewGuid():N}", "modsocket.json");

        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Load(path));

        Assert.StartsWith($"{path}: cannot read the file: ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
    }

    public sealed class BindTarget
    {
        public string? Address { get; set; }

        public int Port { get; set; }
    }
}
