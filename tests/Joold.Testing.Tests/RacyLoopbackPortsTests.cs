using System.Net;
using System.Net.Sockets;

namespace Joold.Testing.Tests;

public class RacyLoopbackPortsTests
{
    [Fact]
    public void Picked_ports_differ_and_are_free()
    {
        int[] ports = RacyLoopbackPorts.Pick(4);

        Assert.Equal(4, ports.Distinct().Count());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, ports[0]));
    }

    [Fact]
    public async Task A_start_that_finds_a_port_taken_is_tried_again_with_new_ports()
    {
        var tried = new List<int[]>();

        int result = await RacyLoopbackPorts.StartAsync(2, ports =>
        {
            tried.Add(ports);
            return tried.Count < 3
                ? throw new InvalidOperationException("cannot bind", new SocketException((int)SocketError.AddressAlreadyInUse))
                : Task.FromResult(ports[0]);
        });

        Assert.Equal(3, tried.Count);
        Assert.Equal(tried[2][0], result);
    }

    [Fact]
    public async Task Other_failures_and_a_port_taken_every_time_are_not_hidden()
    {
        int calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(() => RacyLoopbackPorts.StartAsync<int>(1, _ =>
        {
            calls++;
            throw new TimeoutException();
        }));
        Assert.Equal(1, calls);

        var taken = await Assert.ThrowsAsync<AggregateException>(() => RacyLoopbackPorts.StartAsync<int>(1, _ =>
            throw new AggregateException(new SocketException((int)SocketError.AddressAlreadyInUse))));
        Assert.True(RacyLoopbackPorts.IsAddressInUse(taken));
    }
}
