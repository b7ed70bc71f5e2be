using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

/// <summary>The one rule that hides a URL's user information, in a value or anywhere in a sentence.</summary>
public sealed class UrlPasswordTests
{
    [Theory]
    [InlineData("nats://gw:pw@10.0.0.1:4222", "nats://***@10.0.0.1:4222")]
    [InlineData("no connection to nats://gw:pw@h1:4222, tls://token@h2:4222 (refused)", "no connection to nats://***@h1:4222, tls://***@h2:4222 (refused)")]
    [InlineData("nats://h1:4222,nats://u:p@h2:4222", "nats://h1:4222,nats://***@h2:4222")]
    [InlineData("nats://10.0.0.1:4222", "nats://10.0.0.1:4222")]
    [InlineData("nats://host/path@x and mail@example.net", "nats://host/path@x and mail@example.net")]
    public void Hides_the_user_information_of_each_URL(string text, string expected) => Assert.Equal(expected, UrlPassword.Hide(text));
}
