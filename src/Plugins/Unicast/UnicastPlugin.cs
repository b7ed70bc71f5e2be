using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Plugins.Unicast;

/// <summary>
/// The entry point: when the configuration has a Unicast section, registers one <see cref="UnicastTransport"/>
/// as both the peer source and the peer sink.
/// </summary>
public sealed class UnicastPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Section is null)
        {
            return;
        }

        var settings = UnicastSettings.FromSection(context.Section);
        services.AddSessionTransport(provider => new UnicastTransport(
            settings,
            provider.GetService<ILoggerFactory>()?.CreateLogger<UnicastTransport>() ?? NullLogger<UnicastTransport>.Instance,
            provider.GetService<TimeProvider>()));
    }
}
