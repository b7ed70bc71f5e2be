using System.Net;
using Joold.Configuration;
using Joold.Sockets;

namespace Joold.Plugins.Tests.Sockets;

public sealed class EndPointTextTests
{
    [Theory]
    [InlineData("127.0.0.1:7000", "127.0.0.1", 7000)]
    [InlineData("[::1]:7000", "::1", 7000)]
    [InlineData("[::]:0", "::", 0)]
    [InlineData("0.0.0.0:65535", "0.0.0.0", 65535)]
    [InlineData("192.0.2.1:07000", "192.0.2.1", 7000)]
    public void Addresses_with_ports_are_read(string text, string address, int port)
    {
        Assert.True(EndPointText.TryParse(text, out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::1:7000")]
    [InlineData("[127.0.0.1]:7000")]
    [InlineData("7000")]
    [InlineData("localhost:7000")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("127.0.0.1: 7000")]
    [InlineData("127.0.0.1:")]
    [InlineData("1.2.3:7000")]
    public void Anything_else_is_refused_rather_than_guessed(string text) =>
        Assert.False(EndPointText.TryParse(text, out _));

    [Fact]
    public void A_bad_setting_fails_naming_the_file_the_key_and_the_value()
    {
        var error = Assert.Throws<JooldConfigException>(() => EndPointText.Parse("/etc/joold/x.json", "peers[2]", "127.0.0.1:0"));

        Assert.Equal("peers[2]", error.Key);
        Assert.Equal(
            "/etc/joold/x.json: 'peers[2]' is \"127.0.0.1:0\"; expected an IP address and port such as \"127.0.0.1:7000\" or \"[::1]:7000\", with a port from 1 to 65535.",
            error.Message);
        Assert.Equal(0, EndPointText.Parse("x", "listen", "127.0.0.1:0", allowPortZero: true).Port);
    }

    [Theory]
    [InlineData("192.0.2.1", 6400, "192.0.2.1:6400")]
    [InlineData("ff08::db8:64:64", 6400, "[ff08::db8:64:64]:6400")]
    [InlineData("joold.example", 6401, "joold.example:6401")]
    public void Endpoints_are_written_with_brackets_around_IPv6(string host, int port, string expected) =>
        Assert.Equal(expected, EndPointText.Format(host, port));
}
