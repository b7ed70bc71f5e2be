using Joold.Stats;
using Microsoft.Extensions.Hosting;

namespace Joold.Host.Hosting;

/// <summary>
/// Keeps the <c>Joold</c> meter published while the daemon runs, whether or not an exporter plugin asked for it,
/// so <c>dotnet-counters monitor -n joold --counters Joold</c> sees it too. The container disposes it at the end.
/// </summary>
internal sealed class MeterPublisher(JooldMeter meter) : IHostedService
{
    public JooldMeter Meter { get; } = meter;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
