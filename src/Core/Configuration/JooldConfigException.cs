namespace Joold.Configuration;

/// <summary>
/// A configuration value the daemon cannot use. The message is one line naming the file (or "command line"), the
/// key, what was found and what was expected, so the operator can fix it without reading code.
/// </summary>
public sealed class JooldConfigException : Exception
{
    private const int MaxFoundChars = 200;
    private const int MaxMessageChars = 1000;

    /// <summary>The usual form: "<paramref name="source"/>: '<paramref name="key"/>' is <paramref name="found"/>; expected <paramref name="expected"/>."</summary>
    /// <param name="source">The file the value came from, or "command line".</param>
    /// <param name="key">The key whose value is wrong.</param>
    /// <param name="found">What the value was, as the operator wrote it (for example <c>"70000"</c> or <c>a string</c>).</param>
    /// <param name="expected">What would have been accepted (for example <c>a port from 1 to 65535</c>).</param>
    public JooldConfigException(string source, string key, string found, string expected)
        : base(OneLine($"{source}: '{key}' is {Shorten(found)}; expected {expected}."))
    {
        Source = source;
        Key = key;
    }

    /// <summary>A problem that is not about one key; <paramref name="message"/> is the whole line the operator reads.</summary>
    /// <param name="message">One line naming where the problem is and what would fix it.</param>
    public JooldConfigException(string message)
        : base(OneLine(message))
    {
    }

    /// <summary>As <see cref="JooldConfigException(string)"/>, keeping the error that revealed the problem.</summary>
    /// <param name="message">One line naming where the problem is and what would fix it.</param>
    /// <param name="innerException">The error that revealed it (a JSON parse error, say).</param>
    public JooldConfigException(string message, Exception innerException)
        : base(OneLine(message), innerException)
    {
    }

    /// <summary>For serializers and the usual exception pattern; give a message instead where you can.</summary>
    public JooldConfigException()
    {
    }

    /// <summary>The key that was wrong, when there is one.</summary>
    public string? Key { get; }

    /// <summary>
    /// The message as one bounded line, whatever value it quotes: line breaks are escaped and a message past
    /// <see cref="MaxMessageChars"/> is cut, so a 10 MB value is not a 10 MB error line.
    /// </summary>
    private static string? OneLine(string? message)
    {
        if (message is null)
        {
            return null;
        }

        message = message.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        return message.Length <= MaxMessageChars ? message : $"{message[..MaxMessageChars]}… (cut at {MaxMessageChars} of {message.Length} characters)";
    }

    private static string? Shorten(string? found) =>
        found is { Length: > MaxFoundChars } ? $"{found[..MaxFoundChars]}… ({found.Length} characters)" : found;
}
