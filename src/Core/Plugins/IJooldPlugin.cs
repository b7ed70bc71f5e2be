using Microsoft.Extensions.DependencyInjection;

namespace Joold.Plugins;

/// <summary>
/// A plugin's entry point: one public, non-abstract class with a parameterless constructor per plugin assembly.
/// It registers its <see cref="Relay.ISessionSource"/>, <see cref="Relay.ISessionSink"/> and
/// <see cref="Stats.IStatsExporter"/> services, usually as singletons, when its configuration asks for them.
/// </summary>
public interface IJooldPlugin
{
    /// <summary>
    /// Registers the plugin's services. Throw <see cref="Configuration.JooldConfigException"/> for a bad setting:
    /// the daemon prints its message and exits non-zero.
    /// </summary>
    void ConfigureServices(IServiceCollection services, PluginContext context);
}
