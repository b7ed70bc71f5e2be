using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Stats;

namespace Joold.Testing.Tests;

/// <summary>The stats client against a stand-in server that answers each datagram with a fixed reply.</summary>
public class StatsClientTests
{
    [Fact]
    public async Task A_query_sends_what_echo_sends_and_parses_the_six_lines()
    {
        var expected = new StatsSnapshot { KernelSentPackets = 4, KernelSentBytes = 160, NetSentPackets = 4, NetSentBytes = 160 };
        using var server = new ReplyingServer(JooldStatsText.Format(expected));

        var stats = await StatsClient.QueryOnceAsync(server.EndPoint);

        Assert.Equal(expected, stats);
        Assert.Equal("\n", await server.FirstRequest);
    }

    [Fact]
    public async Task A_reply_that_is_not_the_six_lines_is_a_format_error()
    {
        using var server = new ReplyingServer("KERNEL_SENT_PKTS,4\n");
        using var client = new StatsClient(AddressFamily.InterNetwork);

        var failure = await Assert.ThrowsAsync<FormatException>(() => client.QueryStatsAsync(server.EndPoint));

        Assert.Contains("line 2 (KERNEL_SENT_BYTES) is missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_raw_reply_and_its_sender_are_available_for_wire_checks()
    {
        using var server = new ReplyingServer("anything");
        using var client = new StatsClient(AddressFamily.InterNetwork);

        await client.SendAsync(server.EndPoint, []);
        var (text, from) = await client.ReceiveAsync("the reply");

        Assert.Equal("anything", text);
        Assert.Equal(server.EndPoint, from);
        Assert.Equal("", await server.FirstRequest);
    }

    /// <summary>A UDP server on 127.0.0.1 port 0 that answers every datagram with <c>reply</c>.</summary>
    private sealed class ReplyingServer : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly TaskCompletionSource<string> _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ReplyingServer(string reply)
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
            _ = ServeAsync(Encoding.ASCII.GetBytes(reply));
        }

        public IPEndPoint EndPoint { get; }

        public Task<string> FirstRequest => _firstRequest.Task.WithTimeout("the first request");

        public void Dispose() => _socket.Dispose();

        private async Task ServeAsync(byte[] reply)
        {
            var buffer = new byte[2048];
            try
            {
                while (true)
                {
                    var request = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));
                    _firstRequest.TrySetResult(Encoding.ASCII.GetString(buffer, 0, request.ReceivedBytes));
                    await _socket.SendToAsync(reply, SocketFlags.None, request.RemoteEndPoint);
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // Disposed: the test is over.
            }
        }
    }
}
