namespace Joold.Configuration;

/// <summary>
/// A configuration value the daemon cannot use. The message is one line naming the file (or "command line"), the
/// key, what was found and what was expected, so the operator can fix it without reading code.
/// </summary>
public sealed class JooldConfigException : Exception
{
    public JooldConfigException(string source, string key, string found, string expected)
        : base($"{source}: '{key}' is {found}; expected {expected}.")
    {
        Source = source;
        Key = key;
    }

    public JooldConfigException(string message)
        : base(message)
    {
    }

    public JooldConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public JooldConfigException()
    {
    }

    /// <summary>The key that was wrong, when there is one.</summary>
    public string? Key { get; }
}
