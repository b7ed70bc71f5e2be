using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Plugins.Nats;

/// <summary>
/// The entry point: when the configuration has a Nats section, registers one <see cref="NatsTransport"/> as both
/// the peer source and the peer sink.
/// </summary>
public sealed class NatsPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Section is null)
        {
            return;
        }

        var settings = NatsSettings.FromSection(context.Section);
        services.AddSessionTransport(provider => new NatsTransport(
            settings,
            provider.GetService<IJooldStatistics>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<NatsTransport>() ?? NullLogger<NatsTransport>.Instance));
    }
}
