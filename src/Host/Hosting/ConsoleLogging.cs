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
    }
}
