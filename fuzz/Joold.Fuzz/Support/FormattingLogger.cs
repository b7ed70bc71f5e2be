using Microsoft.Extensions.Logging;

namespace Joold.Fuzz.Support;

/// <summary>
/// A logger that is enabled for every level and formats every message, then drops it: the log lines a hostile
/// input causes are built exactly as in the daemon, so their formatting is fuzzed too.
/// </summary>
internal sealed class FormattingLogger : ILogger
{
    public static readonly FormattingLogger Instance = new();

    /// <summary>Characters formatted so far (keeps the formatting from being optimized away).</summary>
    public long Characters { get; private set; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Characters += formatter(state, exception).Length;
}

/// <summary>The typed form, for components that take an <see cref="ILogger{TCategoryName}"/>.</summary>
internal sealed class FormattingLogger<T> : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        FormattingLogger.Instance.Log(logLevel, eventId, state, exception, formatter);
}
