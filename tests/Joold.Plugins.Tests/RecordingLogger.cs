using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Tests;

/// <summary>Keeps every log entry so tests can check what an operator would read.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception)));

    public IEnumerable<string> Messages(int eventId) => Entries.Where(e => e.EventId == eventId).Select(e => e.Message);
}

public sealed record LogEntry(LogLevel Level, int EventId, string Message);
