using System.Net;
using System.Net.Sockets;
using Joold.Sockets;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Plugins.Tests.Sockets;

public sealed class DatagramReceiverTests
{
    [Fact]
    public async Task A_datagram_arrives_whole_with_its_sender()
    {
        using var server = Bound();
        using var client = Bound();
        var receiver = new DatagramReceiver(server, 64 * 1024, e => Assert.Fail($"no receive should fail: {e.Message}"));

        await client.SendToAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, server.LocalEndPoint!, TestContext.Current.CancellationToken);
        int length = await receiver.ReceiveAsync(TestContext.Current.CancellationToken).AsTask().WithTimeout("the datagram");

        Assert.Equal([1, 2, 3], receiver.Buffer.AsSpan(0, length).ToArray());
        Assert.Equal(client.LocalEndPoint, ((IPEndPoint)server.LocalEndPoint!).Create(receiver.Sender));
    }

    [Fact]
    public async Task A_failed_receive_is_reported_and_tried_again_only_after_the_pause()
    {
        var time = new FakeTimeProvider();
        using var server = Bound();
        int errors = 0;
        var receiver = new DatagramReceiver(server, 1024, _ => Interlocked.Increment(ref errors), time);
        FailingSocket.MakeEveryReceiveFail(server);
        using var stop = new CancellationTokenSource();

        var receiving = receiver.ReceiveAsync(stop.Token).AsTask();
        await Eventually.WaitAsync(() => Volatile.Read(ref errors) == 1, "the first failure reported");
        Assert.False(receiving.IsCompleted);
        time.Advance(ReceiveErrorBackoff.DefaultFirstPause - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Volatile.Read(ref errors));

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.WaitAsync(() => Volatile.Read(ref errors) == 2, "the second attempt, after the pause");

        await stop.CancelAsync();
        Assert.Equal(-1, await receiving.WithTimeout("the receive to end while it pauses"));
    }

    [Fact]
    public async Task Stopping_ends_a_pending_receive_with_minus_one()
    {
        using var server = Bound();
        var receiver = new DatagramReceiver(server, 1024, e => Assert.Fail($"no receive should fail: {e.Message}"));
        using var stop = new CancellationTokenSource();

        var receiving = receiver.ReceiveAsync(stop.Token).AsTask();
        Assert.False(receiving.IsCompleted);
        await stop.CancelAsync();
        server.Dispose();

        Assert.Equal(-1, await receiving.WithTimeout("the receive to end"));
        Assert.Equal(-1, await receiver.ReceiveAsync(stop.Token));
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
