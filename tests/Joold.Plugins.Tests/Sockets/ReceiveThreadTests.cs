using System.Net;
using System.Net.Sockets;
using Joold.Sockets;
using Joold.Testing;

namespace Joold.Plugins.Tests.Sockets;

public sealed class ReceiveThreadTests
{
    private const string ThreadName = "test receive";

    [Fact]
    public async Task A_loop_runs_on_the_receive_thread_and_gets_every_datagram_in_order()
    {
        using var server = Bound();
        using var client = Bound();
        using var receiver = new ReceiveThread(server.SafeHandle, ThreadName);
        using var stop = new CancellationTokenSource();
        var loop = LoopAsync(receiver, 100, stop.Token);

        for (byte i = 0; i < 100; i++)
        {
            await client.SendToAsync(new[] { i }, SocketFlags.None, server.LocalEndPoint!, TestContext.Current.CancellationToken);
        }

        var (received, threads) = await loop.WithTimeout("100 datagrams");
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), received);

        // After the first, every datagram was handled on the receive thread itself: no hop to another thread.
        Assert.All(threads.Skip(1), name => Assert.Equal(ThreadName, name));
    }

    [Fact]
    public async Task A_receive_asked_from_another_thread_is_served()
    {
        using var server = Bound();
        using var client = Bound();
        using var receiver = new ReceiveThread(server.SafeHandle, ThreadName);
        var buffer = new byte[16];
        var sender = new SocketAddress(AddressFamily.InterNetwork);
        var token = TestContext.Current.CancellationToken;

        for (byte i = 0; i < 5; i++)
        {
            var receiving = receiver.ReceiveAsync(buffer, sender, token).AsTask();
            await Task.Yield();
            await client.SendToAsync(new[] { i }, SocketFlags.None, server.LocalEndPoint!, token);
            Assert.Equal(1, await receiving.WithTimeout($"datagram {i}"));
            Assert.Equal(i, buffer[0]);
            Assert.Equal(client.LocalEndPoint, ((IPEndPoint)server.LocalEndPoint!).Create(sender));
        }
    }

    [Fact]
    public async Task Cancelling_ends_a_pending_receive_and_the_thread()
    {
        using var server = Bound();
        using var receiver = new ReceiveThread(server.SafeHandle, ThreadName);
        using var stop = new CancellationTokenSource();

        var receiving = receiver.ReceiveAsync(new byte[16], null, stop.Token).AsTask();
        await Eventually.WaitAsync(() => receiver.IsRunning, "the thread to start");
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receiving.WithTimeout("the receive to end"));
        await Eventually.WaitAsync(() => !receiver.IsRunning, "the thread to end");
    }

    [Fact]
    public async Task Disposing_ends_a_pending_receive_and_the_thread()
    {
        using var server = Bound();
        var receiver = new ReceiveThread(server.SafeHandle, ThreadName);

        var receiving = receiver.ReceiveAsync(new byte[16], null, TestContext.Current.CancellationToken).AsTask();
        await Eventually.WaitAsync(() => receiver.IsRunning, "the thread to start");
        receiver.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => receiving.WithTimeout("the receive to end"));
        await Eventually.WaitAsync(() => !receiver.IsRunning, "the thread to end");
        Assert.Throws<ObjectDisposedException>(() => { _ = receiver.ReceiveAsync(new byte[16], null, CancellationToken.None).AsTask(); });
    }

    [Fact]
    public async Task Closing_the_socket_ends_a_pending_receive_and_the_thread()
    {
        var server = Bound();
        using var receiver = new ReceiveThread(server.SafeHandle, ThreadName);

        var receiving = receiver.ReceiveAsync(new byte[16], null, TestContext.Current.CancellationToken).AsTask();
        await Eventually.WaitAsync(() => receiver.IsRunning, "the thread to start");
        server.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => receiving.WithTimeout("the receive to end"));
        await Eventually.WaitAsync(() => !receiver.IsRunning, "the thread to end");
    }

    [Fact]
    public async Task A_second_receive_while_one_is_pending_is_refused()
    {
        using var server = Bound();
        using var receiver = new ReceiveThread(server.SafeHandle, ThreadName);
        using var stop = new CancellationTokenSource();

        var first = receiver.ReceiveAsync(new byte[16], null, stop.Token).AsTask();
        Assert.Throws<InvalidOperationException>(() => { _ = receiver.ReceiveAsync(new byte[16], null, stop.Token).AsTask(); });
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WithTimeout("the receive to end"));
    }

    private static async Task<(List<byte> Received, List<string?> Threads)> LoopAsync(ReceiveThread receiver, int count, CancellationToken stop)
    {
        var buffer = new byte[16];
        var received = new List<byte>();
        var threads = new List<string?>();
        while (received.Count < count)
        {
            int length = await receiver.ReceiveAsync(buffer, null, stop).ConfigureAwait(false);
            Assert.Equal(1, length);
            received.Add(buffer[0]);
            threads.Add(Thread.CurrentThread.Name);
        }

        return (received, threads);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
