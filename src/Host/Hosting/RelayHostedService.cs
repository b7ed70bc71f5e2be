using Joold.Host.Plugins;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Hosting;

/// <summary>
/// Starts every component, grouped by kind: all exporters first (the stats answer before any batch is counted), then
/// all sinks, then all sources, so nothing is received before it can be delivered; within a kind, in registration
/// order. A component registered under several kinds (a transport that is source and sink) starts once, with the
/// first. Then the relay starts. Any start failure stops the daemon with an error naming the plugin.
/// </summary>
internal sealed class RelayHostedService(
    IServiceProvider services,
    SessionRelay relay,
    PluginCatalog catalog,
    IHostApplicationLifetime lifetime,
    ILogger<RelayHostedService> logger) : IHostedService
{
    /// <summary>Set when the relay failed while running; the process then exits non-zero.</summary>
    public Exception? Failure { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var components = services.GetServices<IStatsExporter>().Cast<IJooldComponent>()
            .Concat(services.GetServices<ISessionSink>())
            .Concat(services.GetServices<ISessionSource>())
            .Distinct(ReferenceEqualityComparer.Instance)
            .Cast<IJooldComponent>()
            .ToArray();

        foreach (var component in components)
        {
            try
            {
                await component.StartAsync(cancellationToken).ConfigureAwait(false);
                HostLog.ComponentStarted(logger, component.Name);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var owner = catalog.Owner(component);
                string who = owner is null ? $"'{component.Name}'" : $"{owner} component '{component.Name}'";
                throw new ComponentStartException($"{who} failed to start: {e.Message}", e);
            }
        }

        relay.Start();
        _ = relay.Completion.ContinueWith(
            t =>
            {
                Failure = t.Exception?.InnerException;
                lifetime.StopApplication();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    public Task StopAsync(CancellationToken cancellationToken) => relay.StopAsync();
}
