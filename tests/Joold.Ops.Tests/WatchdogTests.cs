using System.Diagnostics;
using Joold.FakeKernel;
using Joold.Ops.Tests.Support;
using Joold.Testing;

namespace Joold.Ops.Tests;

/// <summary>
/// With WatchdogSec= (WATCHDOG_USEC), the daemon sends WATCHDOG=1 only while its relay is alive. systemd is not
/// PID 1 here, so the daemon runs as PID 1 of its own PID namespace with NOTIFY_SOCKET set (as SystemdTests does).
/// </summary>
/// <remarks>
/// How the kernel source is made to hang, honestly: stopping the fake kernel (SIGSTOP) would only starve the
/// daemon's receive loop of input, and an idle loop is a healthy one (an idle gateway must not be restarted). A
/// receive loop stops coming round when something it calls does not return. An idle sink's queue is emptied on
/// the source's own thread, so a sink that blocks its caller stalls the source: here a test plugin, the blocking
/// sink, does exactly that with the first batch the real JoolNetlink source hands over from the fake kernel.
/// </remarks>
public class WatchdogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_daemon_whose_kernel_source_hangs_stops_pinging_the_watchdog()
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        using var notify = new NotifySocket(Path.Combine(directory.Path, "notify.sock"));
        await using var kernel = await FakeKernelProcess.StartAsync(instance: "watchdog", cancellationToken: ct);
        string config = directory.File("joold.json", $$"""
            {
              "JoolNetlink": { "instance": "watchdog", "netlink peer": {{kernel.PortId}} },
              "BlockingSink": {}
            }
            """);
        string usec = ((long)Interval.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var daemon = DaemonProcess.Start(
            "unshare",
            [
                "--pid", "--fork", "--kill-child=SIGKILL", "--mount-proc",
                "env", $"NOTIFY_SOCKET={notify.Path}", $"WATCHDOG_USEC={usec}",
                "dotnet", DaemonProcess.JooldDll, "--plugins", OpsPaths.TestPlugins, "run", config,
            ],
            directory.Path);

        // Alive and idle: READY=1, then a ping every half interval.
        await Eventually.WaitAsync(() => notify.Count("READY=1") == 1 || daemon.HasExited, "READY=1");
        await Eventually.WaitAsync(() => notify.Count("WATCHDOG=1") >= 3 || daemon.HasExited, "three WATCHDOG=1 while idle");
        Assert.False(daemon.HasExited, daemon.StandardError);

        // One session from the kernel: the source hands it to the blocking sink and never comes back.
        await kernel.InjectRandomAsync(1, seed: 9, cancellationToken: ct);
        await daemon.WaitForOutputAsync("blocking sink: blocking the caller's thread");
        await daemon.WaitForOutputAsync("The relay is stalled (source 'jool netlink");

        // Every ping was sent before that log line; none may follow while the stall lasts.
        int pings = notify.Count("WATCHDOG=1");
        var quiet = Stopwatch.StartNew();
        await Eventually.WaitAsync(() => notify.Count("WATCHDOG=1") > pings || quiet.Elapsed > Interval * 2, "two intervals without a ping");
        Assert.Equal(pings, notify.Count("WATCHDOG=1"));
        Assert.False(daemon.HasExited);
    }
}
