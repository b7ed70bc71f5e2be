using System.Globalization;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Hosting;

/// <summary>
/// systemd's watchdog (<c>WatchdogSec=</c>): every half interval, sends <c>WATCHDOG=1</c> if the relay is alive
/// (<see cref="SessionRelay.IsAlive"/>: no source stuck handing over a batch for half an interval) and nothing
/// otherwise, so systemd restarts a stalled daemon. Without <c>WATCHDOG_USEC</c> (or when it is meant for
/// another process) it does nothing.
/// </summary>
internal sealed partial class SystemdWatchdog(SessionRelay relay, IServiceProvider services, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    /// <summary>The watchdog interval systemd asks for, from its environment; null when there is none for us.</summary>
    public static TimeSpan? IntervalFromEnvironment()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out long microseconds) || microseconds <= 0)
        {
            return null;
        }

        if (pid is not null && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int target) || target != Environment.ProcessId))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(microseconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = IntervalFromEnvironment();
        var notifier = services.GetService<ISystemdNotifier>();
        if (interval is null || notifier is null || !notifier.IsEnabled)
        {
            return;
        }

        var period = interval.Value / 2;
        WatchdogOn(logger, interval.Value.TotalSeconds);
        bool stalled = false;
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (relay.IsAlive(period, out string? problem))
                {
                    notifier.Notify(new ServiceState("WATCHDOG=1"));
                    if (stalled)
                    {
                        Recovered(logger);
                        stalled = false;
                    }
                }
                else if (!stalled)
                {
                    Stalled(logger, problem);
                    stalled = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(260, LogLevel.Information, "systemd watchdog: {Seconds} s; pinging while the relay is alive.")]
    private static partial void WatchdogOn(ILogger logger, double seconds);

    [LoggerMessage(261, LogLevel.Error, "The relay is stalled ({Problem}); no longer pinging systemd's watchdog, which will restart the daemon.")]
    private static partial void Stalled(ILogger logger, string problem);

    [LoggerMessage(262, LogLevel.Warning, "The relay is alive again; pinging systemd's watchdog again.")]
    private static partial void Recovered(ILogger logger);
}
