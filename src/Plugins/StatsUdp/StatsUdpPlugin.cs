using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Plugins.StatsUdp;

/// <summary>
/// The entry point: registers the UDP stats server when the configuration has a StatsUdp section (C joold starts
/// it only when a stats address or port is given).
/// </summary>
public sealed class StatsUdpPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Section is null)
        {
            return;
        }

        var options = StatsUdpOptions.FromSection(context.Section);
        services.AddSingleton<IStatsExporter>(provider => new StatsUdpExporter(
            options,
            provider.GetRequiredService<IJooldStatistics>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<StatsUdpExporter>() ?? NullLogger<StatsUdpExporter>.Instance,
            provider.GetService<TimeProvider>()));
    }
}
