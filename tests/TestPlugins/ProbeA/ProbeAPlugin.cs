using Joold.Plugins;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;

namespace Joold.TestPlugins.ProbeA;

/// <summary>Registers an exporter whose name reports the Newtonsoft.Json version this plugin actually loaded.</summary>
public sealed class ProbeAPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        if (context.Section is not null)
        {
            services.AddSingleton<IStatsExporter>(new VersionReporter());
        }
    }

    private sealed class VersionReporter : IStatsExporter
    {
        public string Name => "ProbeA sees Newtonsoft.Json " + typeof(JsonConvert).Assembly.GetName().Version + " " + JsonConvert.SerializeObject(new { ok = true });

        public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
