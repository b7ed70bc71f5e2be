using Microsoft.Extensions.Logging;

namespace Joold.JoolNetlink.Tests;

/// <summary>Keeps every log entry so tests can assert what was logged (event id, level, text).</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<LogRecord> _records = [];

    public IReadOnlyList<LogRecord> Records
    {
        get
        {
            lock (_records)
            {
                return _records.ToList();
            }
        }
    }

    public IEnumerable<LogRecord> WithId(int eventId) => Records.Where(r => r.EventId == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_records)
        {
            _records.Add(new LogRecord(logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}

public sealed record LogRecord(LogLevel Level, int EventId, string Message);
