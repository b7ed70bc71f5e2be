using Microsoft.Extensions.Logging;

namespace Joold.Relay;

/// <summary>The relay's log messages. Event ids 100-199 belong to Core; never reuse a retired id.</summary>
internal static partial class RelayLog
{
    [LoggerMessage(100, LogLevel.Information, "Relay started: {SourceCount} sources, {SinkCount} sinks.")]
    public static partial void Started(ILogger logger, int sourceCount, int sinkCount);

    [LoggerMessage(101, LogLevel.Warning, "The queue of sink '{Sink}' is full; batch dropped ({Suppressed} more drops not logged before this).")]
    public static partial void SinkQueueFull(ILogger logger, string sink, long suppressed);

    [LoggerMessage(102, LogLevel.Warning, "Sink '{Sink}' did not deliver a batch ({Suppressed} more failures not logged before this).")]
    public static partial void SinkRefused(ILogger logger, string sink, long suppressed);

    [LoggerMessage(103, LogLevel.Error, "Sink '{Sink}' threw while sending a batch ({Suppressed} more failures not logged before this).")]
    public static partial void SinkThrew(ILogger logger, Exception exception, string sink, long suppressed);

    [LoggerMessage(104, LogLevel.Critical, "Source '{Source}' stopped with an error; the daemon cannot go on without it.")]
    public static partial void SourceFailed(ILogger logger, Exception exception, string source);

    [LoggerMessage(105, LogLevel.Warning, "No {Side} sink takes batches from source '{Source}'; its batches are counted as dropped.")]
    public static partial void NoTarget(ILogger logger, SessionSide side, string source);

    [LoggerMessage(106, LogLevel.Warning, "Stop: {Sink} did not drain its queue within {Timeout}; the rest is counted as dropped.")]
    public static partial void DrainTimedOut(ILogger logger, string sink, TimeSpan timeout);

    [LoggerMessage(107, LogLevel.Information, "Sink '{Sink}' is stopping; a batch written after the stop was dropped ({Suppressed} more drops not logged before this).")]
    public static partial void SinkStopping(ILogger logger, string sink, long suppressed);
}
