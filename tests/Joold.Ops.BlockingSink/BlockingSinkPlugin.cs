using Joold.Plugins;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Ops.BlockingSink;

/// <summary>Registers the <see cref="BlockingSink"/> when the configuration has a BlockingSink section.</summary>
public sealed class BlockingSinkPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        if (context?.Section is not null)
        {
            services.AddSingleton<ISessionSink, BlockingSink>();
        }
    }
}
