using Microsoft.Extensions.Logging;

namespace Joold.Host;

/// <summary>The host's log messages. Event ids 200-299 belong to the host; never reuse a retired id.</summary>
internal static partial class HostLog
{
    [LoggerMessage(200, LogLevel.Information, "Loaded {Plugin}.")]
    public static partial void PluginLoaded(ILogger logger, string plugin);

    [LoggerMessage(201, LogLevel.Information, "Started {Component}.")]
    public static partial void ComponentStarted(ILogger logger, string component);

    [LoggerMessage(202, LogLevel.Information, "Config: {Plugin} from {Source}: {Json}")]
    public static partial void Configuration(ILogger logger, string plugin, string source, string json);

    [LoggerMessage(203, LogLevel.Warning, "SIGHUP received: joold does not reload its configuration and goes on with the one it started with; restart it to apply changes (systemctl restart joold). Plugins that watch their own files (Tls certificates) read them again.")]
    public static partial void HangupIgnored(ILogger logger);

    [LoggerMessage(204, LogLevel.Information, "Counters{When}: {Summary}")]
    public static partial void CounterSummary(ILogger logger, string when, string summary);
}
