using Joold.Stats;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Hosting;

/// <summary>
/// Puts the counters in the log, where an operator without a metrics scraper sees them: one line at stop (after
/// the relay drained, so it holds the final values) and, with an interval, one line each interval in which any
/// counter changed. Registered before the relay's service, so it stops after it.
/// </summary>
internal sealed class CounterSummaryService(IJooldStatistics counters, TimeProvider time, TimeSpan interval, ILogger<CounterSummaryService> logger)
    : IHostedService, IDisposable
{
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private StatsSnapshot _lastLogged;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _lastLogged = counters.GetSnapshot();
            if (interval > TimeSpan.Zero && _timer is null)
            {
                _timer = time.CreateTimer(_ => LogIfChanged(), null, interval, interval);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            HostLog.CounterSummary(logger, " at stop", CounterSummary.Format(counters.GetSnapshot()));
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void LogIfChanged()
    {
        lock (_lock)
        {
            var now = counters.GetSnapshot();
            if (_timer is null || now == _lastLogged)
            {
                return;
            }

            _lastLogged = now;
            HostLog.CounterSummary(logger, string.Empty, CounterSummary.Format(now));
        }
    }
}
