using Microsoft.Extensions.Logging;

namespace Joold.Plugins.StatsUdp;

/// <summary>The plugin's log messages. Event ids 500-549 belong to StatsUdp; never reuse a retired id.</summary>
internal static partial class Log
{
    [LoggerMessage(500, LogLevel.Information, "Stats server listening on UDP {EndPoint}.")]
    public static partial void Listening(ILogger logger, string endPoint);

    [LoggerMessage(501, LogLevel.Warning, "Stats server {EndPoint}: receive failed: {Error} ({Suppressed} more failures not logged before this).")]
    public static partial void ReceiveFailed(ILogger logger, string endPoint, string error, long suppressed);

    [LoggerMessage(502, LogLevel.Warning, "Stats server {EndPoint}: the reply to {Client} failed: {Error} ({Suppressed} more failures not logged before this).")]
    public static partial void ReplyFailed(ILogger logger, string endPoint, string client, string error, long suppressed);

    [LoggerMessage(503, LogLevel.Error, "Stats server {EndPoint} stopped on an unexpected error; stats are no longer served there.")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string endPoint);

    [LoggerMessage(504, LogLevel.Warning, "Stats server {EndPoint}: no reply to {Client}, which asks more than {RepliesPerSecond} times a second ('replies per second'); a forged source would make the server an amplifier ({Suppressed} more not logged before this).")]
    public static partial void OverRate(ILogger logger, string endPoint, string client, int repliesPerSecond, long suppressed);
}
