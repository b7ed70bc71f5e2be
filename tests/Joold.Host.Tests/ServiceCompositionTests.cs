using Joold.Host.Configuration;
using Joold.Host.Hosting;
using Joold.Host.Simulation;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Host.Tests;

/// <summary>What the daemon's container hands to plugins, and where the relay gets its counters and its clock.</summary>
public class ServiceCompositionTests
{
    [Fact]
    public async Task Plugins_can_read_the_counters_and_report_transport_losses_but_cannot_resolve_the_writable_counters()
    {
        await using var app = JooldApplication.Build(Settings());

        Assert.Null(app.Services.GetService<JooldCounters>());
        var statistics = app.Services.GetRequiredService<IJooldStatistics>();
        var transport = app.Services.GetRequiredService<ITransportCounters>();
        transport.Overrun();
        transport.Invalid(SessionSide.Peer);

        Assert.Equal(1, statistics.GetSnapshot().Overruns);
        Assert.Equal(1, statistics.GetSnapshot().InvalidPeer);
        Assert.Equal(statistics.GetSnapshot(), app.Counters.GetSnapshot());
    }

    [Fact]
    public async Task The_relay_counts_into_what_plugins_read_and_drains_on_the_containers_clock()
    {
        var time = new FakeTimeProvider();
        var kernel = new SimulatedKernel("k");
        var stuck = new StuckSink();
        var settings = Settings();
        settings.ConfigureServices = services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddSingleton(new RelayOptions { DrainTimeout = TimeSpan.FromHours(1) });
            services.AddSingleton<ISessionSource>(kernel);
            services.AddSingleton<ISessionSink>(stuck);
        };
        await using var app = JooldApplication.Build(settings);
        var statistics = app.Services.GetRequiredService<IJooldStatistics>();
        await app.StartAsync(TestContext.Current.CancellationToken);

        var sessions = new SessionGenerator(1, 1);
        kernel.Emit(sessions.NextBatch(2));
        kernel.Emit(sessions.NextBatch(3));
        await Eventually.WaitAsync(() => statistics.GetSnapshot().KernelSentPackets == 2 && stuck.Entered, "the relay to count both batches and send the first");
        var stopping = app.StopAsync();

        // An hour-long drain timeout on the real clock would outlast the wait: only the container's clock can end it.
        await Eventually.WaitAsync(
            () =>
            {
                time.Advance(TimeSpan.FromHours(1));
                return stopping.IsCompleted;
            },
            "the drain to time out on the container's clock");
        await stopping;

        var stats = statistics.GetSnapshot();
        Assert.Equal(1, stats.SinkFailures);
        Assert.Equal(1, stats.Dropped);
        Assert.Equal(0, stats.NetSentPackets);
    }

    private static JooldSettings Settings() => new()
    {
        LogLevel = Microsoft.Extensions.Logging.LogLevel.None,
        UseDefaultPluginDirectory = false,
    };

    /// <summary>A peer sink whose sends only end when the relay aborts them.</summary>
    private sealed class StuckSink : ISessionSink
    {
        private volatile bool _entered;

        public string Name => "stuck peer";

        public SessionSide Side => SessionSide.Peer;

        public bool Entered => _entered;

        public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
        {
            _entered = true;
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return true;
        }

        public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
