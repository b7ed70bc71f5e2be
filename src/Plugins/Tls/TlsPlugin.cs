using Joold.Plugins.Tls.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Plugins.Tls;

/// <summary>
/// The entry point: when the configuration has a Tls section, checks it, reads and checks the certificates (so a
/// bad file stops the daemon with one line before anything starts), and registers one <see cref="TlsTransport"/>
/// as both the peer source and the peer sink. The local advertiser (JoolNetlink's) is looked up at run time.
/// </summary>
public sealed class TlsPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Section is null)
        {
            return;
        }

        var settings = TlsSettings.FromSection(context.Section);
        var credentials = CredentialLoader.Load(settings.Files);
        services.AddSessionTransport(provider => new TlsTransport(
            settings,
            provider.GetService<ILoggerFactory>()?.CreateLogger<TlsTransport>() ?? NullLogger<TlsTransport>.Instance,
            provider,
            provider.GetService<TimeProvider>(),
            credentials,
            timings: null));
    }
}
