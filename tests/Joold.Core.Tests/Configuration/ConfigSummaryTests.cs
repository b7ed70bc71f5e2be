using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

/// <summary>The configuration's log line: bounded, one line, and without secrets.</summary>
public class ConfigSummaryTests
{
    [Fact]
    public void A_ten_megabyte_value_is_cut_and_the_line_stays_bounded()
    {
        string huge = new('x', 10 * 1024 * 1024);
        var section = new ConfigSection("joold.json", System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, object>
        {
            ["listen"] = "127.0.0.1:7000",
            ["node"] = huge,
            ["peers"] = Enumerable.Range(0, 5000).Select(i => $"10.0.{i / 256}.{i % 256}:7000").ToArray(),
        }));

        string line = section.Summarize();

        Assert.True(line.Length < 2100, $"{line.Length} characters");
        Assert.StartsWith("{\"listen\": \"127.0.0.1:7000\", \"node\": \"xxx", line, StringComparison.Ordinal);
        Assert.Contains("…\" (10485760 characters)", line, StringComparison.Ordinal);
        Assert.Contains("… (4984 more)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_line_past_the_limit_is_cut_and_says_so()
    {
        var values = Enumerable.Range(0, 15).ToDictionary(i => $"key{i}", _ => new string('v', 200));
        var section = new ConfigSection("joold.json", System.Text.Json.JsonSerializer.SerializeToElement(values));

        string line = section.Summarize();

        Assert.Matches(@"… \(cut at 2000 of \d+ characters\)$", line);
    }

    [Fact]
    public void Secret_keys_read_stars_at_any_depth_and_in_any_case()
    {
        var section = ConfigSection.Parse("joold.json", """{"user": "joold", "Password": "hunter2", "nested": {"TOKEN": {"value": "s3cr3t"}}, "keys": ["hunter2"]}""");

        string line = section.Summarize(["password", "token"]);

        Assert.Equal("""{"user": "joold", "Password": "***", "nested": {"TOKEN": "***"}, "keys": ["hunter2"]}""", line);
    }

    [Fact]
    public void The_password_of_a_url_is_hidden()
    {
        var section = ConfigSection.Parse("nats.json", """{"servers": ["nats://gw1:pa55@10.0.0.1:4222", "tls://10.0.0.2:4222"]}""");

        Assert.Equal("""{"servers": ["nats://***@10.0.0.1:4222", "tls://10.0.0.2:4222"]}""", section.Summarize());
    }

    [Fact]
    public void Control_characters_and_long_numbers_cannot_break_the_line()
    {
        var section = ConfigSection.Parse("joold.json", "{\"a\": \"line\\nbreak\", \"n\": " + new string('9', 500) + "}");

        string line = section.Summarize();

        Assert.DoesNotContain('\n', line);
        Assert.Contains("\"line\\nbreak\"", line, StringComparison.Ordinal);
        Assert.Contains("… (500 characters)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nats://user:pw@host:4222")]
    [InlineData("nats://pw@host")]
    [InlineData("nats://@host")]
    [InlineData("tls://10.0.0.2:4222")]
    [InlineData("nats://host/path@x")]
    [InlineData("a+b.c-d://u:p@h@i")]
    [InlineData("1nats://u:p@h")]
    [InlineData("nats:/u:p@h")]
    [InlineData(" nats://u:p@h")]
    [InlineData("n://line\nbreak@h")]
    [InlineData("://u:p@h")]
    [InlineData("")]
    [InlineData("just text @ here")]
    public void The_url_password_is_hidden_exactly_where_the_documented_pattern_matches(string value)
    {
        // The pattern the scan replaces (a regular expression would load the regex engine into every daemon).
        string expected = System.Text.RegularExpressions.Regex.Replace(value, "^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1" + ConfigSummary.Hidden + "@");

        Assert.Equal(expected, ConfigSummary.HideUrlPassword(value));
    }
}
