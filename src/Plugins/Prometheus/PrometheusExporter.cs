using System.Net;
using System.Net.Sockets;
using Joold.Diagnostics;
using Joold.Stats;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Joold.Plugins.Prometheus;

/// <summary>
/// Serves the daemon's <see cref="JooldMeter"/> at <c>http://LISTEN/metrics</c> in the Prometheus text exposition
/// format, written by prometheus-net from its own registry (none of its default process metrics).
/// </summary>
public sealed class PrometheusExporter : IStatsExporter
{
    private readonly PrometheusOptions _options;
    private readonly JooldMeter _meter;
    private readonly ILogger<PrometheusExporter> _logger;
    private readonly CancellationTokenSource _stop = new();
    private MeterBridge? _bridge;
    private MetricsHttpServer? _server;
    private Task _loop = Task.CompletedTask;
    private int _state; // 0 new, 1 started, 2 disposed

    public PrometheusExporter(PrometheusOptions options, JooldMeter meter, ILogger<PrometheusExporter> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _meter = meter ?? throw new ArgumentNullException(nameof(meter));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Name = $"prometheus http {options.Listen}";
    }

    public string Name { get; }

    /// <summary>The address and port listened on, once started (the real port when 0 was asked for).</summary>
    public IPEndPoint? LocalEndPoint => _server?.LocalEndPoint;

    /// <summary>Binds the port and starts serving; fails (binding nothing) when the port is taken or the meter invisible.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == 2, this);
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return ValueTask.CompletedTask;
        }

        var registry = Metrics.NewCustomRegistry();
        var bridge = new MeterBridge(_meter.Meter, registry);
        MetricsHttpServer server;
        try
        {
            if (bridge.Instruments == 0)
            {
                throw new InvalidOperationException(
                    $"the {JooldMeter.MeterName} meter is not visible from the plugin (its load context has its own System.Diagnostics.DiagnosticSource?)");
            }

            try
            {
                server = new MetricsHttpServer(_options.Listen, (stream, ct) => registry.CollectAndExportAsTextAsync(stream, ct), _logger);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"cannot listen on TCP {_options.Listen} ('{PrometheusOptions.ListenKey}'): {SocketText.Describe(e)}", e);
            }
        }
        catch
        {
            bridge.Dispose();
            Volatile.Write(ref _state, 0);
            throw;
        }

        _bridge = bridge;
        _server = server;
        _loop = Task.Run(() => server.RunAsync(_stop.Token), CancellationToken.None);
        Log.Listening(_logger, server.LocalEndPoint.ToString(), bridge.Instruments);
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops serving, closes the socket and stops listening to the meter.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _server?.Dispose();
        await _loop.ConfigureAwait(false);
        _bridge?.Dispose();
        _stop.Dispose();
    }
}
