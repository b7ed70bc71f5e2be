using Joold.Configuration;

namespace Joold.Plugins;

/// <summary>What the host tells a plugin when it configures it.</summary>
/// <param name="Name">The plugin's name (its folder and assembly name).</param>
/// <param name="Section">
/// The plugin's configuration, or null when the command line and configuration name nothing for it; a plugin
/// with no configuration normally registers nothing.
/// </param>
/// <param name="Directory">The folder the plugin was loaded from.</param>
public sealed record PluginContext(string Name, ConfigSection? Section, string Directory);
