using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Plugins.Multicast;

/// <summary>
/// Registers the multicast peer transport (netsocket.json) as one singleton that is both the peer source and the
/// peer sink. Nothing is registered when the plugin has no configuration.
/// </summary>
public sealed class MulticastPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Section is null)
        {
            return;
        }

        // Parsed now, so a bad setting stops the daemon before anything starts.
        var options = MulticastOptions.FromSection(context.Section);
        services.AddSessionTransport(provider => new MulticastTransport(
            options,
            provider.GetService<ILoggerFactory>()?.CreateLogger<MulticastTransport>() ?? NullLogger<MulticastTransport>.Instance,
            provider.GetService<TimeProvider>()));
    }
}
