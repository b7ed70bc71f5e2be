using System.Net;
using System.Net.Sockets;
using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>
/// SIGHUP, which operators and logrotate send after editing files, is logged and ignored: the published daemon
/// keeps serving with the configuration it started with, and still drains and logs its counters at SIGTERM.
/// </summary>
[Collection(nameof(PublishedJooldCollection))]
public class OperatorSignalTests(PublishedJoold published)
{
    [Fact]
    public async Task Sighup_is_logged_and_ignored_and_the_counters_are_logged_at_stop()
    {
        using var dir = new TempDirectory();
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        int statsPort = RacyLoopbackPorts.Pick(1)[0];
        string config = dir.File("joold.json", $$$"""
            {"JoolNetlink": {"instance": "default", "netlink peer": {{{kernel.PortId}}}}, "Unicast": {"listen": "127.0.0.1:0", "peers": ["127.0.0.1:9"]},
             "StatsUdp": {"address": "127.0.0.1", "port": "{{{statsPort}}}"}}
            """);
        await using var daemon = DaemonProcess.Start(published.Joold, ["run", config], dir.Path);
        IPEndPoint listening = await daemon.WaitForEndPointAsync(JooldLog.UnicastListening);
        await daemon.WaitForOutputAsync(JooldLog.RelayStarted);

        DaemonProcess.Signal(daemon.Id, Tmds.Linux.LibC.SIGHUP);

        await daemon.WaitForOutputAsync("SIGHUP received: joold does not reload its configuration");

        // Still relaying: a malformed datagram to the transport is counted (and shows in the summary at stop).
        using (var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            await peer.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, listening, TestContext.Current.CancellationToken);
        }

        await Eventually.ValueAsync(
            () => StatsClient.QueryOnceAsync(new IPEndPoint(IPAddress.Loopback, statsPort)),
            s => s.NetReceivedPackets == 1,
            "the datagram counted after the SIGHUP");
        Assert.Equal(0, await daemon.TerminateAsync());
        string summary = Assert.Single(daemon.StandardError.Split('\n'), l => l.Contains("Counters at stop: ", StringComparison.Ordinal));
        Assert.Contains("KERNEL_SENT_PKTS=0 ", summary, StringComparison.Ordinal);
        Assert.Contains(" NET_RCVD_PKTS=1 NET_RCVD_BYTES=3 ", summary, StringComparison.Ordinal);
        Assert.Contains(" INVALID_PEER=1 ", summary, StringComparison.Ordinal);
    }
}
