using System.Net.Sockets;
using Joold.Netlink;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Joold.Netlink's socket against a user-space peer that stops reading: sends never block, and the clock-driven
/// retry either delivers once the peer reads again or gives up at its bound.
/// </summary>
public sealed class NetlinkSocketTests
{
    private static readonly byte[] Message = new byte[512];

    [Fact]
    public void Membership_is_read_back_from_the_kernel()
    {
        // nlctrl's "notify" group (0x10) exists on every kernel.
        using var socket = NetlinkSocket.Open();
        Assert.False(socket.IsMember(0x10));

        socket.JoinGroup(0x10);
        Assert.True(socket.IsMember(0x10));
        Assert.False(socket.IsMember(0x11));
        Assert.False(socket.IsMember(0));
        Assert.False(socket.IsMember(5000));

        socket.LeaveGroup(0x10);
        Assert.False(socket.IsMember(0x10));
    }

    [Fact]
    public void The_receive_buffer_is_set_as_every_joold_socket_sets_it_forced_past_rmem_max()
    {
        int rmemMax = int.Parse(File.ReadAllText("/proc/sys/net/core/rmem_max"), System.Globalization.CultureInfo.InvariantCulture);
        int requested = Math.Max(4 * 1024 * 1024, rmemMax * 2);
        using var socket = NetlinkSocket.Open();

        var size = socket.SetReceiveBuffer(requested);

        Assert.True(size.Forced);
        Assert.Equal(requested, size.Requested);
        Assert.Equal(requested, size.Granted);
    }

    [Fact]
    public void A_send_to_a_full_peer_fails_at_once_with_would_block()
    {
        using var sender = NetlinkSocket.Open();
        using var peer = NetlinkSocket.Open();
        peer.SetReceiveBuffer(1);

        int delivered = Fill(sender, peer);

        Assert.True(delivered > 0);
        Assert.Equal(SocketError.WouldBlock, sender.SendTo(Message, NetlinkAddress.Create(peer.PortId)));
    }

    [Fact]
    public async Task A_retried_send_goes_through_once_the_peer_reads_again()
    {
        using var sender = NetlinkSocket.Open();
        using var peer = NetlinkSocket.Open();
        peer.SetReceiveBuffer(1);
        var clock = new CountingTimeProvider();
        int delivered = Fill(sender, peer);

        var send = sender.SendToAsync(Message, NetlinkAddress.Create(peer.PortId), TimeSpan.FromSeconds(1), clock, TestContext.Current.CancellationToken).AsTask();
        Assert.False(send.IsCompleted);
        var buffer = new byte[4096];
        for (int i = 0; i < delivered; i++)
        {
            await peer.ReceiveAsync(buffer, NetlinkAddress.CreateForReceive(), TestContext.Current.CancellationToken);
        }

        // The queue has room again, but only the clock makes the sender try again.
        Assert.False(send.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(SocketError.Success, await send.WithTimeout("the retried send"));
    }

    [Fact]
    public async Task A_retried_send_gives_up_with_would_block_at_its_bound()
    {
        using var sender = NetlinkSocket.Open();
        using var peer = NetlinkSocket.Open();
        peer.SetReceiveBuffer(1);
        var clock = new CountingTimeProvider();
        Fill(sender, peer);
        var bound = TimeSpan.FromMilliseconds(200);

        var send = sender.SendToAsync(Message, NetlinkAddress.Create(peer.PortId), bound, clock, TestContext.Current.CancellationToken).AsTask();
        long since = clock.GetTimestamp();
        while (!send.IsCompleted)
        {
            int timers = clock.TimersCreated;
            clock.Advance(TimeSpan.FromMilliseconds(32));
            await Eventually.WaitAsync(() => send.IsCompleted || clock.TimersCreated > timers, "the next retry or the end");
        }

        Assert.Equal(SocketError.WouldBlock, await send);
        Assert.InRange(clock.GetElapsedTime(since), bound, bound + TimeSpan.FromMilliseconds(32));
    }

    [Fact]
    public async Task A_send_to_a_closed_socket_reports_an_error_instead_of_throwing()
    {
        var sender = NetlinkSocket.Open();
        sender.Dispose();

        Assert.Equal(SocketError.OperationAborted, sender.SendTo(Message, NetlinkAddress.Create(0)));
        Assert.Equal(SocketError.OperationAborted, await sender.SendToAsync(Message, NetlinkAddress.Create(0), TimeSpan.FromSeconds(1), TimeProvider.System, TestContext.Current.CancellationToken));
    }

    /// <summary>Sends until the peer's queue is full; returns how many went through.</summary>
    private static int Fill(NetlinkSocket sender, NetlinkSocket peer)
    {
        var to = NetlinkAddress.Create(peer.PortId);
        for (int delivered = 0; delivered < 10_000; delivered++)
        {
            var result = sender.SendTo(Message, to);
            if (result == SocketError.WouldBlock)
            {
                return delivered;
            }

            Assert.Equal(SocketError.Success, result);
        }

        throw new InvalidOperationException("The peer's queue never filled.");
    }
}
