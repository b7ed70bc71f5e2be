using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

/// <summary>An error quoting the operator's value stays one bounded line, however long or odd the value.</summary>
public class ConfigErrorLineTests
{
    [Fact]
    public void A_huge_value_is_cut_and_what_was_expected_is_kept()
    {
        string huge = new('x', 10 * 1024 * 1024);

        var error = new JooldConfigException("unicast.json", "listen", $"\"{huge}\"", EndPointText.Expected);

        Assert.True(error.Message.Length < 600, $"{error.Message.Length} characters");
        Assert.Contains("… (10485762 characters); expected an IP address and port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_breaks_in_a_value_are_escaped()
    {
        var section = ConfigSection.Parse("unicast.json", "{\"listen\": \"127.0.0.1\\n:7000\"}");

        var error = Assert.Throws<JooldConfigException>(() => EndPointText.Parse(section.Source, "listen", section.GetString("listen", null)!));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("127.0.0.1\\n:7000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_message_past_the_limit_is_cut_and_says_so()
    {
        var error = new JooldConfigException(new string('m', 5000));

        Assert.EndsWith("… (cut at 1000 of 5000 characters)", error.Message, StringComparison.Ordinal);
    }
}
