using Joold.Configuration;
using Joold.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Nats;

/// <summary>
/// Gives the NATS client a way into the daemon's log for what an operator must see (a refused TLS handshake, an
/// authorization error: warnings and errors, with their exception), rate-limited as a whole, because the client
/// logs every failed reconnect attempt. Its information and debug chatter stays out.
/// </summary>
internal sealed class ClientLoggerFactory(ILogger target) : ILoggerFactory
{
    private readonly RateLimitedLog _limit = new(burst: 3, window: TimeSpan.FromMinutes(1));

    public ILogger CreateLogger(string categoryName) => new ClientLogger(target, _limit);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class ClientLogger(ILogger target, RateLimitedLog limit) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && target.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || !limit.TryEnter(out long suppressed))
            {
                return;
            }

            // The client names servers by their URL, user and password included.
            string reason = exception is null ? "" : UrlPassword.Hide($": {exception.GetBaseException().Message}");
            Nats.Log.ClientSays(target, logLevel, UrlPassword.Hide(formatter(state, exception)), reason, suppressed);
        }
    }
}
