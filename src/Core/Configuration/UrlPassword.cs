using System.Text.RegularExpressions;

namespace Joold.Configuration;

/// <summary>
/// Hides the user information of every URL in a text (nats://user:password@host reads nats://***@host), for log
/// lines and messages that name a server: the configuration summary and the plugins use this one rule.
/// </summary>
public static partial class UrlPassword
{
    /// <summary><paramref name="text"/> with the part before the '@' of each URL's authority replaced by ***.</summary>
    public static string Hide(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('@', StringComparison.Ordinal) ? UserInfo().Replace(text, "$1" + ConfigSummary.Hidden + "@") : text;
    }

    // The authority ends at '/', so "nats://host/x@y" keeps its '@'; white space ends a URL in a sentence.
    [GeneratedRegex(@"\b([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@")]
    private static partial Regex UserInfo();
}
