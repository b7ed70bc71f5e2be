using Joold.Relay;
using Joold.Sessions;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Multicast.Tests;

/// <summary>The transport inside a real <see cref="SessionRelay"/>: what is counted, what reaches the kernel side.</summary>
public class MulticastRelayTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Garbage_truncated_empty_and_huge_datagrams_arrive_whole_and_only_valid_ones_reach_the_kernel(bool ipv6)
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 2);
        await using var sender = await Peer.StartAsync(net.Nodes[0], Peer.Options(ipv6), listen: false);
        await using var receiver = await Peer.StartAsync(net.Nodes[1], Peer.Options(ipv6), listen: false);
        var tee = new TeeSource(receiver.Transport);
        var kernel = new LocalSink();
        var counters = new JooldCounters();
        await using var relay = new SessionRelay([tee], [kernel], counters, NullLogger<SessionRelay>.Instance);
        relay.Start();

        int maxPayload = ipv6 ? 65527 : 65507; // 65,535 minus the UDP header (and, for IPv4, the IP header)
        byte[] valid = Batches.Valid(3, seed: 20);
        byte[] bigValid = Batches.Valid(maxPayload / SessionContainer.EntrySize, seed: 21); // far past C joold's 2048
        byte[][] invalid =
        [
            Batches.Garbage(100),
            valid[..^7],                       // truncated: the last entry is cut short
            [],                                // zero-length
            Batches.Garbage(maxPayload, seed: 2),
        ];
        byte[] last = Batches.Valid(1, seed: 22);
        byte[][] all = [valid, .. invalid, bigValid, last];
        foreach (byte[] datagram in all)
        {
            Assert.True(await sender.SendAsync(datagram), $"sending {datagram.Length} bytes");
        }

        await Eventually.WaitAsync(() => kernel.Delivered.Count == 3, "the three valid batches at the local sink");

        // The relay counts a delivery once the local sink returned, and bytes after packets: wait for all of it.
        long deliveredBytes = valid.Length + bigValid.Length + last.Length;
        var stats = await Eventually.ValueAsync(
            () => Task.FromResult(counters.GetSnapshot()),
            s => s.NetReceivedPackets == all.Length && s.LocalDeliveredBytes == deliveredBytes && s.NetReceivedBytes == all.Sum(d => (long)d.Length),
            "every datagram and every delivery counted");

        // The writer got every datagram whole, in order, and the relay let only the valid ones through.
        Assert.Equal(all.Select(d => d.Length), tee.Recorder.Received.Select(d => d.Length));
        Assert.All(all.Zip(tee.Recorder.Received), pair => Assert.True(pair.First.AsSpan().SequenceEqual(pair.Second)));
        Assert.Equal([valid, bigValid, last], kernel.Delivered);
        Assert.Equal(all.Sum(d => (long)d.Length), stats.NetReceivedBytes);
        Assert.Equal(invalid.Length, stats.InvalidPeer);
        Assert.Equal(3, stats.LocalDeliveredPackets);
        Assert.Equal(deliveredBytes, stats.LocalDeliveredBytes);

        // Each rejection was logged with the sender's address and the reason.
        var rejections = receiver.Logger.Entries.Where(e => e.EventId == 404).Select(e => e.Message).ToList();
        Assert.Equal(invalid.Length, rejections.Count);
        string senderAddress = (ipv6 ? net.Nodes[0].Ipv6 : net.Nodes[0].Ipv4).ToString();
        Assert.All(rejections, m => Assert.Contains(senderAddress, m, StringComparison.Ordinal));
        Assert.Contains(rejections, m => m.Contains("holds no session", StringComparison.Ordinal));
        Assert.Contains(rejections, m => m.Contains("is cut short", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_send_while_the_link_is_down_is_counted_and_sending_resumes_when_it_is_up(bool ipv6, bool pinned)
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 2);
        var nodeA = net.Nodes[0];
        var options = pinned ? Peer.Options(ipv6, outInterface: Peer.InterfaceSetting(nodeA.Primary, ipv6)) : Peer.Options(ipv6);
        await using var a = await Peer.StartAsync(nodeA, options, listen: false);
        await using var b = await Peer.StartAsync(net.Nodes[1], Peer.Options(ipv6));
        var kernel = new LocalSource();
        var counters = new JooldCounters();
        await using var relay = new SessionRelay([kernel], [a.Transport], counters, NullLogger<SessionRelay>.Instance);
        relay.Start();

        byte[] before = Batches.Valid(2, seed: 30);
        kernel.Push(before);
        await b.Received.WaitForAsync(before, "the first batch at B");

        // B can hear the datagram before A's pump has counted the send: wait for the count, do not assume it.
        await Eventually.WaitAsync(() => counters.GetSnapshot().NetSentPackets == 1, "the first send counted");

        await nodeA.SetLinkAsync(nodeA.Interface, up: false);
        kernel.Push(Batches.Valid(3, seed: 31));
        await Eventually.WaitAsync(() => counters.GetSnapshot().SinkFailures == 1, "the failed send counted");
        var down = counters.GetSnapshot();
        Assert.Equal(1, down.NetSentPackets);
        Assert.Equal(2, down.KernelSentPackets);
        Assert.Contains(a.Logger.Entries, e => e.EventId == 402);

        await nodeA.SetLinkAsync(nodeA.Interface, up: true);
        byte[] after = Batches.Valid(4, seed: 32);
        await Eventually.WaitAsync(
            () =>
            {
                if (counters.GetSnapshot().NetSentPackets >= 2)
                {
                    return true;
                }

                kernel.Push(after);
                return false;
            },
            "a send that works again after the link came back");
        await b.Received.WaitForAsync(after, "a batch at B after the link came back");
        Assert.Contains(a.Logger.Entries, e => e.EventId == 403);
        Assert.Equal([before], b.Received.Received.Where(r => !r.AsSpan().SequenceEqual(after)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Pinned_nodes_recover_when_their_interface_is_deleted_and_created_again(bool ipv6)
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 2);
        var (nodeA, nodeB) = (net.Nodes[0], net.Nodes[1]);
        var quickRefresh = TimeSpan.FromMilliseconds(200);
        await using var a = await Peer.StartAsync(
            nodeA,
            Peer.Options(ipv6, outInterface: Peer.InterfaceSetting(nodeA.Primary, ipv6)) with { InterfaceRefreshInterval = quickRefresh },
            listen: false);
        await using var b = await Peer.StartAsync(
            nodeB,
            Peer.Options(ipv6, inInterface: Peer.InterfaceSetting(nodeB.Primary, ipv6)) with { InterfaceRefreshInterval = quickRefresh });
        byte[] before = Batches.Valid(1, seed: 40);
        Assert.True(await a.SendAsync(before));
        await b.Received.WaitForAsync(before, "a batch at B before the interfaces are re-created");

        // Both sockets now name interface indexes that no longer exist.
        await net.ReplugAsync(nodeA);
        await net.ReplugAsync(nodeB);

        byte[] after = Batches.Valid(2, seed: 41);
        Task<bool> sending = Task.FromResult(false);
        await Eventually.WaitAsync(
            () =>
            {
                if (b.Received.Received.Any(r => r.AsSpan().SequenceEqual(after)))
                {
                    return true;
                }

                // One send at a time, as the relay's pump does.
                if (sending.IsCompleted)
                {
                    sending = a.SendAsync(after).AsTask();
                }

                return false;
            },
            "a batch at B after both interfaces were re-created");
        // The timer thread logs the rejoin after the membership already works: the batch may come first.
        await Eventually.WaitAsync(() => b.Logger.Entries.Any(e => e.EventId == 406), "the rejoin logged at B");
    }
}
