using Joold.Plugins.Tls.Protocol;
using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests;

/// <summary>A graceful stop acknowledges every batch the relay took, so none comes again to the next incarnation.</summary>
public sealed class GracefulStopTests
{
    [Fact]
    public async Task A_stop_acknowledges_a_batch_taken_whose_ACK_the_reader_had_not_recorded_yet()
    {
        using var pki = new TestPki();
        await using var node = await TlsNode.StartAsync(pki.Issue("node"));
        await using var sender = await RawPeer.DialAsync(node.Transport.LocalEndPoint!, RawPeer.Load(pki.Issue("sender")));
        await sender.SendFrameAsync(b => FrameCodec.WriteHello(b, 7));
        await sender.SendFrameAsync(b => FrameCodec.WriteBatch(b, 1, TestSessions.Unique(1)));
        await sender.SendFrameAsync(b => FrameCodec.WriteBatch(b, 2, TestSessions.Unique(2)));
        await sender.ReadFramesAsync(f => f.Exists(x => x.Type == FrameType.Ack && x.Number == 2));

        // The moment a race reaches (at load ~50 it did, and the batch was added twice): the relay took batch 3,
        // and the stop came before the reader turned that into the ACK to send.
        node.Transport.PeerStates.Single().Delivered = 3;
        await node.DisposeAsync();

        var frames = await sender.ReadFramesAsync(f => f.Exists(x => x.Type == FrameType.Ack && x.Number == 3));
        Assert.Equal(3ul, frames.Where(x => x.Type == FrameType.Ack).Max(x => x.Number));
        Assert.True(await sender.ClosedByOtherSideAsync(TimeSpan.FromSeconds(10)), "the stopped node closes the connection");
    }
}
