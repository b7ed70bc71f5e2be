using Joold.Nats.Tests.Support;
using Joold.Plugins.Nats;
using Joold.Relay;
using Joold.Testing;

namespace Joold.Nats.Tests;

/// <summary>The transport in process, with real relays, against a real nats-server.</summary>
public sealed class NatsTransportTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_gateways_exchange_batches_byte_identical_and_never_get_their_own_back()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var a = await NatsNode.StartAsync(NatsNode.Settings(cluster, "a", "pair"));
        await using var b = await NatsNode.StartAsync(NatsNode.Settings(cluster, "b", "pair"));
        byte[][] fromA = [TestSessions.Batch(1), TestSessions.Batch(36), TestSessions.Batch(5)];
        byte[][] fromB = [TestSessions.Batch(2), TestSessions.Batch(17)];

        await a.PublishAsync(fromA);
        await b.PublishAsync(fromB);

        await Eventually.WaitAsync(() => b.Kernel.Received.Count == fromA.Length && a.Kernel.Received.Count == fromB.Length, "each kernel to get the other's batches");
        Assert.Equal(fromA, b.Kernel.Received);
        Assert.Equal(fromB, a.Kernel.Received);
        await Eventually.WaitAsync(() => a.Transport.OwnSkipped == fromA.Length && b.Transport.OwnSkipped == fromB.Length, "each consumer to skip its own batches");
        Assert.Equal(fromA.Length, b.Transport.Delivered);
        Assert.Equal(fromB.Length, a.Transport.Delivered);
        Assert.Equal((3, 3), (a.Stats.KernelSentPackets, a.Stats.NetSentPackets));
        Assert.Equal((2, 2), (a.Stats.NetReceivedPackets, a.Stats.LocalDeliveredPackets));
        Assert.Equal(0, a.Stats.SinkFailures + b.Stats.SinkFailures + a.Stats.Dropped + b.Stats.Dropped + a.Stats.InvalidPeer + b.Stats.InvalidPeer);
        Assert.Equal(0, a.Transport.BufferOverflows + b.Transport.BufferOverflows);
    }
}
