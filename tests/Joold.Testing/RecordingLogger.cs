using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Joold.Testing;

/// <summary>Keeps every log entry, so tests can check what an operator would read (event id, level, text).</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IEnumerable<LogEntry> WithId(int eventId) => Entries.Where(e => e.EventId == eventId);

    public IEnumerable<string> Messages(int eventId) => WithId(eventId).Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
    }
}

/// <summary>One recorded log call.</summary>
public sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception = null);
