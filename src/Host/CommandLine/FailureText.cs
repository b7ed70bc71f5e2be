using System.Text.RegularExpressions;
using Joold.Configuration;
using Joold.Host.Hosting;
using Joold.Host.Plugins;

namespace Joold.Host.CommandLine;

/// <summary>What an operator reads when the daemon cannot start or stops on an error: one line, whatever the error.</summary>
internal static partial class FailureText
{
    /// <summary>
    /// The exception's message on one line. The errors the daemon raises on purpose say everything in their message;
    /// any other one is a bug or a surprise, so its type is named too.
    /// </summary>
    public static string OneLine(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        string message = LineBreaks().Replace(exception.Message.Trim(), " ");
        return exception is JooldConfigException or PluginLoadException or ComponentStartException
            ? message
            : $"{exception.GetType().Name}: {message}";
    }

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex LineBreaks();
}
