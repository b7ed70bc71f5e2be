using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

/// <summary>Broken JSON is reported in the operator's words: never the parser's or .NET's.</summary>
public class JsonErrorWordingTests
{
    private const string File = "netsocket.json";

    /// <summary>What leaked before: .NET type names and the JSON reader's buffer vocabulary.</summary>
    public static readonly string[] DotNetWords = ["System.", "Nullable", "BytePositionInLine", "isFinalBlock", "LineNumber", "Path: $", "JsonValueKind"];

    public static TheoryData<string> BrokenJson =>
    [
        "{",
        "{\n  \"multicast address\": \"ff08::db8:64:64\",\n  \"ttl\": ",
        "{\"multicast address\": \"ff08::db8",
        "[1, 2",
        "// only a comment",
        "{\"ttl\": 3} trailing",
        "{\"ttl\": tru}",
        "{ttl: 3}",
        "{\"ttl\": 3,, }",
        "\u00ef\u00bb\u00bf{",
        new string('[', 100) + new string(']', 100),
    ];

    [Theory]
    [MemberData(nameof(BrokenJson))]
    public void Broken_json_names_the_file_and_no_dotnet_words(string json)
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, json));

        Assert.StartsWith(File + ":", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.All(DotNetWords, word => Assert.DoesNotContain(word, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Json_cut_short_says_it_ends_early_and_where()
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, "{\n  \"multicast address\": \"ff08::db8:64:64\",\n  \"ttl\": "));

        Assert.Equal($"{File}: the JSON ends early at line 3; expected the rest of the object (a value, a closing quote, '}}' or ']').", error.Message);
    }

    [Fact]
    public void An_unclosed_object_with_trailing_spaces_ends_early_too()
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, "{\"ttl\": 3\n\n   \n"));

        Assert.StartsWith($"{File}: the JSON ends early at line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_error_inside_names_line_and_column_and_what_is_wrong()
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, "{\n  \"ttl\": 3 x\n}"));

        Assert.Equal($"{File}:2:12: JSON syntax error: 'x' is invalid after a value. Expected either ',', '}}', or ']'.", error.Message);
    }
}
