using Joold.Configuration;
using Joold.Plugins.Tls;

namespace Joold.Tls.Tests;

/// <summary>Inputs the config fuzz target (fuzz/, target "config") found to escape as something else than one config error.</summary>
public sealed class FuzzFindingsTests
{
    private const string Source = "/etc/joold/tls.json";

    [Theory]
    [InlineData("certificate")]
    [InlineData("key")]
    [InlineData("ca")]
    public void A_path_with_a_NUL_is_a_config_error_naming_the_key(string key)
    {
        var files = new Dictionary<string, string> { ["certificate"] = "node.pem", ["key"] = "node.key", ["ca"] = "ca.pem" };
        files[key] = "node\\u0000.pem";
        string json = $$"""{"listen": "[::]:6443", {{string.Join(", ", files.Select(f => $"\"{f.Key}\": \"{f.Value}\""))}}}""";

        var error = Assert.Throws<JooldConfigException>(() => TlsSettings.FromSection(ConfigSection.Parse(Source, json)));
        Assert.StartsWith($"{Source}: '{key}' is a path with a NUL character; expected ", error.Message, StringComparison.Ordinal);
    }
}
