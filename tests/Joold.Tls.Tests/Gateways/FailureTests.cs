using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests.Gateways;

/// <summary>
/// Two gateways while things break: a peer down for seconds, connections killed mid-stream, a link going down,
/// a lossy and reordering link. Gateway A's kernel multicasts batch after batch; B's kernel must get each of
/// them once, in order, byte for byte.
/// </summary>
public sealed class FailureTests
{
    [Fact]
    public Task A_peer_down_for_seconds_gets_every_queued_batch_in_order_and_none_twice() =>
        GatewayNetwork.RunAsync(nodes: 2, ipv6: false, async net =>
        {
            var (a, b) = (net.Gateways[0], net.Gateways[1]);
            await net.StartAllAsync();
            await net.WaitResyncsDoneAsync();
            var sent = new List<byte[]>();
            await Traffic.MulticastAsync(a, sent, 20);
            await Traffic.AssertDeliveredOnceInOrderAsync(b, sent);

            // Sessions keep coming while B is away: they wait in A's queue for B.
            await b.StopDaemonAsync();
            await Traffic.KeepMulticastingAsync(a, sent, TimeSpan.FromSeconds(4));

            int whileDown = sent.Count - 20;
            await b.StartDaemonAsync();
            await Traffic.MulticastAsync(a, sent, 20);
            await Traffic.AssertDeliveredOnceInOrderAsync(b, sent);
            Assert.True(whileDown >= 20, $"only {whileDown} batches while B was down");
            Assert.Contains($"{b.Entry(false)} restarted", a.Log, StringComparison.Ordinal);
        });

    [Fact]
    public Task Connections_killed_mid_stream_lose_and_duplicate_nothing() =>
        GatewayNetwork.RunAsync(nodes: 2, ipv6: true, async net =>
        {
            var (a, b) = (net.Gateways[0], net.Gateways[1]);
            await net.StartAllAsync();
            await net.WaitResyncsDoneAsync();
            var sent = new List<byte[]>();
            for (int cut = 0; cut < 5; cut++)
            {
                // Back after the previous cut: a new connection, and batches flowing on it.
                await Eventually.WaitAsync(() => CountLines(a.Log, " connected (") > cut, $"connection {cut + 1} of {a}");
                await Traffic.MulticastAsync(a, sent, 30);

                // Every TCP socket of A to or from B, dialed or accepted, destroyed by the kernel (SOCK_DESTROY); ss
                // lists what it destroyed. Again until one was there (a hand-over may be under way).
                await Eventually.ValueAsync(
                    () => a.Node.ExecAsync("ss", "-K", "-t", "dst", $"[{b.Node.Ipv6}]"),
                    killed => killed.StandardOutput.Contains(b.Node.Ipv6.ToString(), StringComparison.Ordinal),
                    $"cut {cut + 1}: a connection of {a} to {b} destroyed");
            }

            await Traffic.MulticastAsync(a, sent, 30);
            await Traffic.AssertDeliveredOnceInOrderAsync(b, sent);
            Assert.True(CountLines(a.Log, " disconnected (") >= 5, a.Log);
            Assert.DoesNotContain("restarted", a.Log + b.Log, StringComparison.Ordinal);
        });

    [Fact]
    public Task A_link_down_and_up_mid_stream_loses_and_duplicates_nothing() =>
        GatewayNetwork.RunAsync(nodes: 2, ipv6: false, async net =>
        {
            var (a, b) = (net.Gateways[0], net.Gateways[1]);
            await net.StartAllAsync();
            await net.WaitResyncsDoneAsync();
            var sent = new List<byte[]>();
            await Traffic.MulticastAsync(a, sent, 30);
            await a.Node.SetLinkAsync(a.Node.Interface, up: false);
            await Traffic.KeepMulticastingAsync(a, sent, TimeSpan.FromSeconds(3));

            await a.Node.SetLinkAsync(a.Node.Interface, up: true);
            await Traffic.MulticastAsync(a, sent, 30);
            await Traffic.AssertDeliveredOnceInOrderAsync(b, sent);
        });

    [Fact]
    public Task Ten_percent_loss_and_reordering_lose_nothing() =>
        GatewayNetwork.RunAsync(nodes: 2, ipv6: false, async net =>
        {
            var (a, b) = (net.Gateways[0], net.Gateways[1]);
            await net.StartAllAsync();
            await net.WaitResyncsDoneAsync();
            string method = await LinkImpairment.ApplyAsync(a.Node, a.Node.Interface, lossPercent: 10);
            await LinkImpairment.ApplyAsync(b.Node, b.Node.Interface, lossPercent: 10);
            long retransmittedBefore = await LinkImpairment.RetransmittedSegmentsAsync(a.Node);

            var sent = new List<byte[]>();
            await Traffic.MulticastAsync(a, sent, 300);
            await Traffic.AssertDeliveredOnceInOrderAsync(b, sent);

            // The link really lost and reordered packets, and TCP really had to repair it.
            var (dropped, delayed) = await LinkImpairment.CountAsync(b.Node, b.Node.Interface, method);
            var (_, delayedByA) = await LinkImpairment.CountAsync(a.Node, a.Node.Interface, method);
            TestContext.Current.TestOutputHelper?.WriteLine($"impairment: {method}; B dropped {dropped} incoming packets; B delayed {delayed}, A delayed {delayedByA} outgoing packets");
            Assert.True(dropped > 0, $"nothing dropped ({method})");
            Assert.True(method == "netem" || (delayed > 0 && delayedByA > 0), "nothing reordered");
            Assert.True(await LinkImpairment.RetransmittedSegmentsAsync(a.Node) > retransmittedBefore, "A retransmitted nothing");
        });

    private static int CountLines(string log, string text) => log.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
