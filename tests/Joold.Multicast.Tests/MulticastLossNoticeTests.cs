using Joold.Testing.Namespaces;
using Microsoft.Extensions.Logging;

namespace Joold.Multicast.Tests;

/// <summary>
/// C joold's datagrams have no sequence numbers, so a receiver cannot see what it missed (a peer that restarted
/// mid-stream lost 33,657 of 60,000 batches, unnoticed). The receiving side says so when it starts, with the way
/// to resync.
/// </summary>
public class MulticastLossNoticeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_receive_loop_says_at_its_start_that_loss_goes_unnoticed_and_how_to_resync(bool ipv6)
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 1);
        await using var sender = await Peer.StartAsync(net.Nodes[0], Peer.Options(ipv6), listen: false);
        Assert.Empty(sender.Logger.WithId(407));

        await using var receiver = await Peer.StartAsync(net.Nodes[0], Peer.Options(ipv6));

        var entry = Assert.Single(receiver.Logger.WithId(407));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(
            $"Receiving peers' batches from {receiver.Transport.Group} from now on. C joold's datagrams carry no sequence numbers, so what peers sent before this, or what is lost on the way, is lost unnoticed: to bring this gateway up to date, run `joold advertise` on a peer, or use a transport that resyncs (Tls, Nats).",
            entry.Message);
        Assert.Empty(sender.Logger.WithId(407));
    }
}
