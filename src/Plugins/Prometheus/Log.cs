using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Prometheus;

/// <summary>The plugin's log messages. Event ids 600-649 belong to Prometheus; never reuse a retired id.</summary>
internal static partial class Log
{
    [LoggerMessage(600, LogLevel.Information, "Prometheus metrics on http://{EndPoint}/metrics ({Instruments} instruments of the Joold meter).")]
    public static partial void Listening(ILogger logger, string endPoint, int instruments);

    [LoggerMessage(601, LogLevel.Warning, "Prometheus endpoint {EndPoint}: accepting a connection failed: {Error} ({Suppressed} more failures not logged before this).")]
    public static partial void AcceptFailed(ILogger logger, string endPoint, string error, long suppressed);

    [LoggerMessage(602, LogLevel.Warning, "Prometheus endpoint {EndPoint}: serving {Client} failed: {Error} ({Suppressed} more failures not logged before this).")]
    public static partial void ServeFailed(ILogger logger, string endPoint, string client, string error, long suppressed);
}
