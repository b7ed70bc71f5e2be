using Joold.Configuration;
using Joold.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace UnixSocket;

/// <summary>
/// The plugin's entry point: the one public class that implements <see cref="IJooldPlugin"/>. The daemon calls it
/// once with the plugin's configuration, the value of the key "UnixSocket" (the plugin's folder and assembly name).
/// </summary>
public sealed class UnixSocketPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        if (context.Section is null)
        {
            return; // Not configured: register nothing.
        }

        // A bad value throws JooldConfigException, which the daemon prints as one line naming file and key.
        string listen = context.Section.GetString("listen", null) ?? throw Missing(context.Section, "listen");
        string peer = context.Section.GetString("peer", null) ?? throw Missing(context.Section, "peer");

        // One object that is both source and sink: registered once, started once, disposed once.
        services.AddSessionTransport(sp => new UnixSocketTransport(
            listen,
            peer,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<UnixSocketTransport>>()));
    }

    private static JooldConfigException Missing(ConfigSection section, string key) =>
        new(section.Source, key, "missing", "the path of a Unix datagram socket");
}
