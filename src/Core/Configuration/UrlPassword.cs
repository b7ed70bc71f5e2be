using System.Globalization;
using System.Text;

namespace Joold.Configuration;

/// <summary>
/// Hides the user information of every URL in a text (nats://user:password@host reads nats://***@host), for log
/// lines and messages that name a server: the configuration summary and the plugins use this one rule.
/// </summary>
/// <remarks>
/// The rule is the pattern <c>\b([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@</c>, applied by a plain scan: a regular
/// expression would load the regex engine into every daemon that prints its configuration.
/// </remarks>
public static class UrlPassword
{
    /// <summary><paramref name="text"/> with the part before the '@' of each URL's authority replaced by ***.</summary>
    public static string Hide(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('@', StringComparison.Ordinal))
        {
            return text;
        }

        StringBuilder? hidden = null;
        int copied = 0;
        int from = 0;
        while (from < text.Length)
        {
            int separator = text.IndexOf("://", from, StringComparison.Ordinal);
            if (separator < 0)
            {
                break;
            }

            int authority = separator + 3;
            from = authority;
            if (!HasScheme(text, separator))
            {
                continue;
            }

            // The authority ends at '/', so "nats://host/x@y" keeps its '@'; white space ends a URL in a sentence.
            int end = authority;
            while (end < text.Length && text[end] is not ('/' or '@') && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            if (end == text.Length || text[end] != '@')
            {
                continue;
            }

            hidden ??= new StringBuilder(text.Length);
            hidden.Append(text, copied, authority - copied).Append(ConfigSummary.Hidden);
            copied = end;
            from = end + 1;
        }

        return hidden is null ? text : hidden.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>
    /// Whether a scheme ends just before <paramref name="separator"/>: a letter at a word start, then letters,
    /// digits, '+', '.' or '-'.
    /// </summary>
    private static bool HasScheme(string text, int separator)
    {
        int start = separator;
        while (start > 0 && IsSchemeChar(text[start - 1]))
        {
            start--;
        }

        // Any letter of the run may begin the scheme, if a word starts there.
        for (int i = start; i < separator; i++)
        {
            if (char.IsAsciiLetter(text[i]) && (i == 0 || !IsWordChar(text[i - 1])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-';

    /// <summary>A regular expression's \w: letters, decimal digits, non-spacing marks and connector punctuation.</summary>
    private static bool IsWordChar(char c) =>
        char.IsLetterOrDigit(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.ConnectorPunctuation;
}
