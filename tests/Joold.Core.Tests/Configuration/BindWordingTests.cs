using System.Text.Json.Serialization;
using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

/// <summary><see cref="ConfigSection.Bind{T}"/> reports a value of the wrong kind in words, never in .NET type names.</summary>
public class BindWordingTests
{
    private const string File = "unicast.json";

    [Theory]
    [InlineData("""{"receive buffer": "x"}""", """'receive buffer' is a string ("x"); expected a whole number.""")]
    [InlineData("""{"receive buffer": 1.5}""", """'receive buffer' is a number (1.5); expected a whole number from -2147483648 to 2147483647.""")]
    [InlineData("""{"receive buffer": 1e20}""", """'receive buffer' is a number (1e20); expected a whole number from -2147483648 to 2147483647.""")]
    [InlineData("""{"listen": 7000}""", """'listen' is a number (7000); expected a string.""")]
    [InlineData("""{"peers": "127.0.0.1:1"}""", """'peers' is a string ("127.0.0.1:1"); expected an array of strings.""")]
    [InlineData("""{"peers": ["127.0.0.1:1", 2]}""", """'peers[1]' is a number (2); expected a string.""")]
    [InlineData("""{"enabled": "yes"}""", """'enabled' is a string ("yes"); expected true or false.""")]
    [InlineData("""{"count": null}""", """'count' is null; expected a whole number.""")]
    [InlineData("""{"ratio": "half"}""", """'ratio' is a string ("half"); expected a number.""")]
    [InlineData("""{"ports": [1, -1]}""", """'ports[1]' is a number (-1); expected a whole number from 0 to 65535.""")]
    public void A_value_of_the_wrong_kind_names_file_key_found_and_expected(string json, string message)
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Parse(File, json).Bind<Target>());

        Assert.Equal($"{File}: {message}", error.Message);
        Assert.All(JsonErrorWordingTests.DotNetWords, word => Assert.DoesNotContain(word, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Values_of_the_right_kind_bind_and_nulls_mean_absent()
    {
        var target = ConfigSection.Parse(File, """{"LISTEN": "::", "peers": ["a", null], "receive buffer": null, "ratio": 0.5, "ports": [1, 2]}""").Bind<Target>();

        Assert.Equal("::", target.Listen);
        Assert.Equal(["a", null], target.Peers!);
        Assert.Null(target.ReceiveBuffer);
        Assert.Equal(0.5, target.Ratio);
        Assert.Equal([(ushort)1, (ushort)2], target.Ports!);
    }

    public sealed class Target
    {
        [JsonPropertyName("listen")]
        public string? Listen { get; set; }

        [JsonPropertyName("peers")]
        public string?[]? Peers { get; set; }

        [JsonPropertyName("receive buffer")]
        public int? ReceiveBuffer { get; set; }

        [JsonPropertyName("enabled")]
        public bool Enabled { get; set; }

        [JsonPropertyName("count")]
        public ushort Count { get; set; }

        [JsonPropertyName("ratio")]
        public double Ratio { get; set; }

        [JsonPropertyName("ports")]
        public List<ushort>? Ports { get; set; }
    }
}
