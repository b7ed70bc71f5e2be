using Joold.Netlink;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Joold.Netlink's receive, which blocks in recvfrom on a thread of the socket's own: cancelling and closing end a
/// blocked receive at once, the socket's own wake-up message is never returned, and datagrams that arrive meanwhile
/// are not lost.
/// </summary>
public sealed class NetlinkReceiveTests
{
    [Fact]
    public async Task Cancelling_ends_a_blocked_receive_and_the_next_one_still_gets_every_datagram()
    {
        using var socket = NetlinkSocket.Open();
        using var peer = NetlinkSocket.Open();
        var buffer = new byte[1024];
        var sender = NetlinkAddress.CreateForReceive();
        using var first = new CancellationTokenSource();

        var blocked = socket.ReceiveAsync(buffer, sender, first.Token).AsTask();
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WithTimeout("the cancelled receive to end"));

        for (byte i = 1; i <= 3; i++)
        {
            Assert.Equal(System.Net.Sockets.SocketError.Success, peer.SendTo(Datagram(i), NetlinkAddress.Create(socket.PortId)));
        }

        for (byte i = 1; i <= 3; i++)
        {
            int length = await socket.ReceiveAsync(buffer, sender, TestContext.Current.CancellationToken).AsTask().WithTimeout($"datagram {i}");
            Assert.Equal(Datagram(i), buffer.AsSpan(0, length).ToArray());
            Assert.Equal(peer.PortId, NetlinkAddress.PortIdOf(sender));
        }
    }

    [Fact]
    public async Task Closing_ends_a_blocked_receive()
    {
        var socket = NetlinkSocket.Open();
        var blocked = socket.ReceiveAsync(new byte[1024], NetlinkAddress.CreateForReceive(), TestContext.Current.CancellationToken).AsTask();
        await Task.Yield();

        socket.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => blocked.WithTimeout("the receive to end"));
    }

    /// <summary>A netlink message of 20 bytes whose payload says which one it is.</summary>
    private static byte[] Datagram(byte n)
    {
        var message = new byte[20];
        message[0] = 20;
        message[4] = 0x20; // a type of no meaning to anyone
        message[16] = n;
        return message;
    }
}
