using Joold.Plugins;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Plugins.JoolNetlink;

/// <summary>
/// Entry point: with a configuration section (C joold's modsocket.json), registers one
/// <see cref="JoolNetlinkChannel"/> as the local source, the local sink and the advertiser.
/// </summary>
public sealed class JoolNetlinkPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Section is null)
        {
            return;
        }

        // Read now, so a bad setting stops the daemon before anything starts.
        var options = JoolNetlinkOptions.FromSection(context.Section);
        services.AddSingleton(options);
        services.AddSingleton<JoolNetlinkChannel>();
        services.AddSingleton<ISessionSource>(provider => provider.GetRequiredService<JoolNetlinkChannel>());
        services.AddSingleton<ISessionSink>(provider => provider.GetRequiredService<JoolNetlinkChannel>());
        services.AddSingleton<ISessionAdvertiser>(provider => provider.GetRequiredService<JoolNetlinkChannel>());
    }
}
