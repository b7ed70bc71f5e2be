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

    [Theory]
    [InlineData("nats://user:pw@host:4222")]
    [InlineData("nats://pw@host")]
    [InlineData("nats://@host")]
    [InlineData("tls://10.0.0.2:4222")]
    [InlineData("nats://host/path@x")]
    [InlineData("a+b.c-d://u:p@h@i")]
    [InlineData("1nats://u:p@h")]
    [InlineData("_nats://u:p@h")]
    [InlineData("x-1+nats://u:p@h")]
    [InlineData("nats:/u:p@h")]
    [InlineData(" nats://u:p@h")]
    [InlineData("n://line\nbreak@h")]
    [InlineData("://u:p@h")]
    [InlineData("")]
    [InlineData("just text @ here")]
    [InlineData("a://b c://u:p@h d://e@f://g@h")]
    [InlineData("nats://u:p@h://v:q@i")]
    [InlineData("see nats://u:p@h, tls://t@h2 and mail@example.net")]
    public void The_scan_hides_exactly_what_the_documented_pattern_matches(string value)
    {
        // The pattern the scan implements (a regular expression would load the regex engine into every daemon).
        string expected = System.Text.RegularExpressions.Regex.Replace(value, @"\b([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@", "$1" + ConfigSummary.Hidden + "@");

        Assert.Equal(expected, UrlPassword.Hide(value));
    }
}
