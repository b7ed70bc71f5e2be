using Joold.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Configuration;

/// <summary>Everything one daemon instance is built from, whichever command line form produced it.</summary>
internal sealed class JooldSettings
{
    /// <summary>Extra plugin folders (--plugins), scanned after the built-in one.</summary>
    public List<string> PluginDirectories { get; } = [];

    /// <summary>Plugin name → its configuration. A plugin without a section registers nothing.</summary>
    public Dictionary<string, ConfigSection> Sections { get; } = new(StringComparer.Ordinal);

    /// <summary>Plugins that must be present (those with a section, and those the command relies on).</summary>
    public HashSet<string> RequiredPlugins { get; } = new(StringComparer.Ordinal);

    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>Load plugins others than root and joold's user may write (--allow-unsafe-plugins; development only).</summary>
    public bool AllowUnsafePlugins { get; set; }

    /// <summary>How often to log the counters when they changed (--summary-interval); zero logs them only at stop.</summary>
    public TimeSpan SummaryInterval { get; set; }

    /// <summary>What the configuration came from, for errors about the whole of it: a file, or the command line.</summary>
    public string Origin { get; set; } = CommandLineSections.CommandLine;

    /// <summary>Whether to scan the built-in plugins folder next to the host.</summary>
    public bool UseDefaultPluginDirectory { get; set; } = true;

    /// <summary>Services the host itself adds (the demo's simulated kernel, follow's printer).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Where log lines go; stderr by default so stdout stays clean for commands that print data.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    public void AddSection(string plugin, ConfigSection section)
    {
        if (!Sections.TryAdd(plugin, section))
        {
            throw new JooldConfigException($"{section.Source}: plugin '{plugin}' is already configured by {Sections[plugin].Source}.");
        }

        RequiredPlugins.Add(plugin);
    }
}
