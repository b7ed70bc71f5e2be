using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Joold.Host.Hosting;

/// <summary>
/// Log lines on stderr: one line each with a timestamp at a terminal; under systemd's journal (<c>JOURNAL_STREAM</c>
/// set) in the journal's own format, each line prefixed with its syslog priority (<c>&lt;4&gt;</c> for a warning)
/// and without a timestamp, so <c>journalctl -p warning -u joold</c> shows what matters.
/// </summary>
internal static class ConsoleLogging
{
    /// <summary>Whether stderr goes to the journal, as systemd tells its services.</summary>
    public static bool UnderJournal => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    public static void AddJooldConsole(this ILoggingBuilder logging)
    {
        if (UnderJournal)
        {
            logging.AddSystemdConsole(o => o.IncludeScopes = false);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        KeepOnlyUsedConsoleServices(logging.Services, UnderJournal ? "SystemdConsoleFormatter" : "SimpleConsoleFormatter");
    }

    /// <summary>
    /// The console logger registers all three formatters (each one is created, with its options) and reads every
    /// option from the "Logging:Console" configuration section. joold uses one formatter, and its host has no
    /// configuration source, so that reading sets nothing: both only cost start-up time and memory (the JSON
    /// formatter's options come through the configuration binder). Matched by name: if a new version renames these
    /// types, nothing is removed and logging works as before.
    /// </summary>
    private static void KeepOnlyUsedConsoleServices(IServiceCollection services, string formatter)
    {
        for (int i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            string? implementation = descriptor.IsKeyedService ? null : descriptor.ImplementationType?.Name;
            bool unusedFormatter = descriptor.ServiceType == typeof(ConsoleFormatter) && implementation is not null && implementation != formatter;
            bool readsConfiguration = implementation is "ConsoleFormatterConfigureOptions" or "ConsoleLoggerConfigureOptions";
            if (unusedFormatter || readsConfiguration)
            {
                services.RemoveAt(i);
            }
        }
    }
}
