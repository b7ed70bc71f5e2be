using System.Globalization;
using Joold.FakeKernel;
using Joold.Ops.Tests.Support;
using Joold.Testing;

namespace Joold.Ops.Tests;

/// <summary><c>joold stats [ADDRESS] [PORT]</c> prints a running daemon's six lines, so operators need no nc.</summary>
public class StatsCommandTests
{
    [Fact]
    public async Task Stats_prints_the_six_lines_the_stats_server_answers()
    {
        using var directory = new TempDirectory();
        int[] udp = RacyLoopbackPorts.Pick(3);
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string config = directory.File("joold.json", string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "JoolNetlink": { "instance": "default", "netlink peer": {{kernel.PortId}} },
              "Unicast": { "listen": "127.0.0.1:{{udp[0]}}", "peers": ["127.0.0.1:{{udp[1]}}"] },
              "StatsUdp": { "address": "127.0.0.1", "port": "{{udp[2]}}" }
            }
            """));
        await using var daemon = DaemonProcess.StartJoold(["run", config], directory.Path);
        await daemon.WaitForOutputAsync("Relay started");
        string expected = await UdpStats.QueryAsync(udp[2]);
        Assert.Matches("^KERNEL_SENT_PKTS,0\nKERNEL_SENT_BYTES,0\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,0\nNET_SENT_BYTES,0\n$", expected);

        var byArguments = await DaemonProcess.RunJooldAsync(["stats", "127.0.0.1", udp[2].ToString(CultureInfo.InvariantCulture)], directory.Path);
        Assert.Equal(0, byArguments.ExitCode);
        Assert.Equal(expected, byArguments.StandardOutput);

        // The address and port the daemon was given, read from its configuration.
        var byConfig = await DaemonProcess.RunJooldAsync(["stats", "--config", config], directory.Path);
        Assert.Equal(0, byConfig.ExitCode);
        Assert.Equal(expected, byConfig.StandardOutput);
    }

    [Fact]
    public async Task Stats_without_a_server_says_so_and_exits_1()
    {
        int port = RacyLoopbackPorts.Pick(1)[0];

        var (exitCode, stdout, stderr) = await DaemonProcess.RunJooldAsync(["stats", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"joold: stats: no answer from UDP 127.0.0.1:{port} within 2 s; is a daemon's stats server there?", stderr.Trim());
    }
}
