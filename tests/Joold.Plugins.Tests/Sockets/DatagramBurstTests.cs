using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Joold.Sockets;
using Joold.Testing;
using Tmds.Linux;

namespace Joold.Plugins.Tests.Sockets;

/// <summary>
/// The UDP receive as C joold does it (one blocking system call), taking every datagram already waiting at once
/// (recvmmsg), and ended by a stop without closing the socket; sends that never switch the fd to non-blocking.
/// </summary>
public sealed class DatagramBurstTests
{
    [Fact]
    public async Task Datagrams_that_queued_up_come_from_one_receive_in_order_each_whole_with_its_sender()
    {
        using var server = Bound();
        using var client = Bound();
        using var receiver = new DatagramReceiver(server, 64 * 1024, e => Assert.Fail($"no receive should fail: {e.Message}"), slots: 4);
        byte[][] sent = [[1], [.. Enumerable.Range(0, 1440).Select(i => (byte)i)], [.. Enumerable.Range(0, 60_000).Select(i => (byte)(i * 7))]];

        // Loopback delivers within sendto, so all three are queued before the receive.
        foreach (var datagram in sent)
        {
            client.SendTo(datagram, server.LocalEndPoint!);
        }

        int count = await receiver.ReceiveManyAsync(TestContext.Current.CancellationToken).AsTask().WithTimeout("the datagrams");

        Assert.Equal(3, count);
        var batch = receiver.Batch!;
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(sent[i], batch.Datagram(i).ToArray());
            Assert.Equal(client.LocalEndPoint, ((IPEndPoint)server.LocalEndPoint!).Create(batch.Sender(i)));
        }
    }

    [Fact]
    public async Task A_stop_wakes_a_receive_blocked_in_the_kernel_ends_its_thread_and_leaves_the_socket_able_to_send()
    {
        using var server = Bound();
        using var client = Bound();
        using var receiver = new DatagramReceiver(server, 2048, e => Assert.Fail($"no receive should fail: {e.Message}"), slots: 4);
        using var stop = new CancellationTokenSource();

        var receiving = receiver.ReceiveManyAsync(stop.Token).AsTask();
        await Eventually.WaitAsync(() => IsBlockedInReceive(server), "the receive thread to block in recvmmsg");
        Assert.False(IsNonBlocking(server));
        await stop.CancelAsync();

        Assert.Equal(-1, await receiving.WithTimeout("the stop to end the blocked receive"));
        await Eventually.WaitAsync(() => !receiver.IsReceiving, "the receive thread to end");
        int sent = await DatagramSender.SendToAsync(server, new byte[] { 9 }, client.LocalEndPoint!.Serialize(), CancellationToken.None);
        Assert.Equal(1, sent);
        var buffer = new byte[16];
        Assert.Equal(1, client.Receive(buffer));
        Assert.False(IsNonBlocking(server));
    }

    [Fact]
    public async Task A_receive_after_a_stop_ends_as_closed_instead_of_spinning()
    {
        using var server = Bound();
        using (var first = new DatagramReceiver(server, 2048, e => Assert.Fail(e.Message), slots: 2))
        using (var stop = new CancellationTokenSource())
        {
            var receiving = first.ReceiveManyAsync(stop.Token).AsTask();
            await Eventually.WaitAsync(() => IsBlockedInReceive(server), "the receive thread to block in recvmmsg");
            await stop.CancelAsync();
            Assert.Equal(-1, await receiving.WithTimeout("the stop"));
        }

        using var second = new DatagramReceiver(server, 2048, e => Assert.Fail(e.Message), slots: 2);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => second.ReceiveManyAsync(TestContext.Current.CancellationToken).AsTask().WithTimeout("the refused receive"));
    }

    [Fact]
    public async Task A_send_goes_out_at_once_and_leaves_the_fd_in_blocking_mode()
    {
        using var server = Bound();
        using var client = Bound();

        int sent = await DatagramSender.SendToAsync(server, new byte[] { 1, 2, 3 }, client.LocalEndPoint!.Serialize(), CancellationToken.None);

        Assert.Equal(3, sent);
        Assert.False(IsNonBlocking(server));
        var buffer = new byte[16];
        Assert.Equal(3, client.Receive(buffer));
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static bool IsNonBlocking(Socket socket) => (LibC.fcntl((int)socket.SafeHandle.DangerousGetHandle(), LibC.F_GETFL, 0) & LibC.O_NONBLOCK) != 0;

    /// <summary>Whether a thread of this process sits in recvmmsg(2) on the socket's fd (/proc/self/task/*/syscall).</summary>
    private static bool IsBlockedInReceive(Socket socket)
    {
        int recvmmsg = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 299,
            Architecture.Arm64 => 243,
            var other => throw new PlatformNotSupportedException(other.ToString()),
        };
        string fd = "0x" + ((int)socket.SafeHandle.DangerousGetHandle()).ToString("x", CultureInfo.InvariantCulture);
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var fields = File.ReadAllText(Path.Combine(task, "syscall")).Split(' ');
                if (fields.Length > 1 && fields[0] == recvmmsg.ToString(CultureInfo.InvariantCulture) && fields[1] == fd)
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return false;
    }
}
