using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

/// <summary>A key given twice is refused, whatever its case and depth: no reader guesses which value was meant.</summary>
public class DuplicateKeyTests
{
    private const string File = "joold.json";

    [Fact]
    public void The_same_spelling_twice_is_refused_naming_the_key()
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, """{"listen": "127.0.0.1:1", "listen": "127.0.0.1:2"}"""));

        Assert.Equal($"{File}: the key 'listen' appears twice; keys are case-insensitive, give each once.", error.Message);
    }

    [Fact]
    public void A_duplicate_in_a_nested_object_names_where_it_is()
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, """{"Unicast": {"peers": [], "Peers": []}}"""));

        Assert.Equal($"{File}: the key 'Peers' appears twice in 'Unicast' (as 'peers' and 'Peers'); keys are case-insensitive, give each once.", error.Message);
    }

    [Fact]
    public void A_section_built_from_an_element_is_checked_too()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"a": {"x": 1, "X": 2}}""");

        var error = Assert.Throws<JooldConfigException>(() => new ConfigSection("command line", document.RootElement));

        Assert.Contains("'X' appears twice in 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_key_in_different_objects_is_fine()
    {
        var section = ConfigSection.Parse(File, """{"A": {"listen": "x"}, "B": {"listen": "y"}, "list": [{"k": 1}, {"k": 2}]}""");

        Assert.True(section.TryGetProperty("a", out _));
    }
}
