using Joold.Configuration;
using Joold.Sockets;

namespace Joold.Plugins.Tests.Sockets;

public sealed class PortTextTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("6400", 6400)]
    [InlineData("65535", 65535)]
    [InlineData("06401", 6401)]
    public void Decimal_digits_from_1_to_65535_are_ports(string text, int port)
    {
        Assert.True(PortText.TryParse(text, out int parsed));
        Assert.Equal(port, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("99999999999")]
    [InlineData("-1")]
    [InlineData("+80")]
    [InlineData(" 80")]
    [InlineData("80 ")]
    [InlineData("http")]
    [InlineData("٨٠")]
    public void Anything_else_is_not(string text) => Assert.False(PortText.TryParse(text, out _));

    [Theory]
    [InlineData("""{"port": "7000"}""", true, 7000)]
    [InlineData("""{"port": 7000}""", true, 7000)]
    [InlineData("""{"port": "7000"}""", false, 7000)]
    [InlineData("""{}""", false, 6400)]
    public void Settings_are_read_as_strings_and_where_allowed_numbers(string json, bool allowNumber, int port) =>
        Assert.Equal(port, PortText.Read(ConfigSection.Parse("f.json", json), "port", 6400, allowNumber));

    [Theory]
    [InlineData("""{"port": 6400}""", false, "f.json: 'port' is a number (6400); expected a string such as \"6400\" (C joold requires the port in quotes).")]
    [InlineData("""{"port": "0"}""", false, "f.json: 'port' is \"0\"; expected a UDP port number from 1 to 65535.")]
    [InlineData("""{"port": "http"}""", true, "f.json: 'port' is \"http\"; expected a port from 1 to 65535 (a string such as \"6400\", or an integer).")]
    [InlineData("""{"port": 70000}""", true, "f.json: 'port' is 70000; expected a port from 1 to 65535 (a string such as \"6400\", or an integer).")]
    [InlineData("""{"port": true}""", true, "f.json: 'port' is a boolean (true); expected a port from 1 to 65535 (a string such as \"6400\", or an integer).")]
    public void Bad_settings_fail_naming_the_file_the_key_and_the_value(string json, bool allowNumber, string message)
    {
        var error = Assert.Throws<JooldConfigException>(() => PortText.Read(ConfigSection.Parse("f.json", json), "port", 6400, allowNumber));

        Assert.Equal(message, error.Message);
        Assert.Equal("port", error.Key);
    }
}
