using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Plugins.Prometheus;

/// <summary>The entry point: registers the metrics endpoint when the configuration has a Prometheus section.</summary>
public sealed class PrometheusPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Section is null)
        {
            return;
        }

        var options = PrometheusOptions.FromSection(context.Section);
        services.AddSingleton<IStatsExporter>(provider => new PrometheusExporter(
            options,
            provider.GetRequiredService<JooldMeter>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger<PrometheusExporter>() ?? NullLogger<PrometheusExporter>.Instance));
    }
}
