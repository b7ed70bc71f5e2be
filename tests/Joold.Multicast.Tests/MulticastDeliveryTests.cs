using System.Net;
using System.Net.Sockets;
using Joold.Testing;
using Joold.Testing.Namespaces;
using Tmds.Linux;

namespace Joold.Multicast.Tests;

/// <summary>
/// Real multicast between real namespaces. Each test has its own network, so the tests may run in parallel even
/// though they all use the same groups and port.
/// </summary>
public class MulticastDeliveryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_sent_by_one_node_reaches_the_others_byte_for_byte_but_not_itself(bool ipv6)
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 3);
        await using var a = await Peer.StartAsync(net.Nodes[0], Peer.Options(ipv6));
        await using var b = await Peer.StartAsync(net.Nodes[1], Peer.Options(ipv6));
        await using var c = await Peer.StartAsync(net.Nodes[2], Peer.Options(ipv6));
        byte[] batch = TestSessions.Container(36, tag: 1);

        Assert.True(await a.SendAsync(batch));
        await b.Received.WaitForAsync(batch, "the batch at B");
        await c.Received.WaitForAsync(batch, "the batch at C");

        // A marker from B reaches A; had A heard its own batch, that would have been queued before the marker.
        byte[] marker = TestSessions.Container(1, tag: 2);
        Assert.True(await b.SendAsync(marker));
        await a.Received.WaitForAsync(marker, "the marker at A");

        Assert.Equal([batch], b.Received.Batches);
        Assert.Equal([batch, marker], c.Received.Batches);
        Assert.Equal([marker], a.Received.Batches);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(Peer.Group(ipv6)), 6400), a.Transport.Group);
    }

    [Fact]
    public async Task IPv6_batches_leave_through_a_connected_socket_with_the_same_address_and_options()
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 2);
        var node = net.Nodes[0];
        string nic = Peer.InterfaceSetting(node.Primary, ipv6: true);
        await using var a = await Peer.StartAsync(node, Peer.Options(ipv6: true, inInterface: nic, outInterface: nic, ttl: 7), listen: false);
        await using var b = await Peer.StartAsync(net.Nodes[1], Peer.Options(ipv6: true));
        var sender = a.Transport.Sender!;
        var socket = sender.Socket;

        Assert.True(sender.IsConnected);
        Assert.Equal(new IPEndPoint(IPAddress.Parse(Peer.Group(ipv6: true)), 6400), socket.LocalEndPoint);
        Assert.Equal(1, ReadInt(socket, LibC.SOL_SOCKET, LibC.SO_REUSEADDR));
        Assert.Equal(0, ReadInt(socket, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_LOOP));
        Assert.Equal(7, ReadInt(socket, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_HOPS));
        Assert.Equal(ReadInt(a.Transport.Socket!, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF), ReadInt(socket, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF));

        // Sent through it, a batch arrives whole; and the connected socket hears nothing, not even B's batches.
        byte[] batch = TestSessions.Container(36, tag: 3);
        Assert.True(await a.SendAsync(batch));
        await b.Received.WaitForAsync(batch, "the batch at B");
        Assert.True(await b.SendAsync(TestSessions.Container(1, tag: 4)));
        await Eventually.WaitAsync(() => a.Transport.Socket!.Available > 0, "B's batch queued on A's unconnected socket");
        Assert.Equal(0, socket.Available);
    }

    [Fact]
    public async Task An_IPv4_group_is_sent_to_through_the_unconnected_socket()
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 1);
        await using var a = await Peer.StartAsync(net.Nodes[0], Peer.Options(ipv6: false), listen: false);

        Assert.Null(a.Transport.Sender);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_socket_carries_the_original_options(bool ipv6)
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 1);
        var node = net.Nodes[0];
        string nic = Peer.InterfaceSetting(node.Primary, ipv6);
        await using var peer = await Peer.StartAsync(node, Peer.Options(ipv6, inInterface: nic, outInterface: nic, ttl: 7), listen: false);
        var socket = peer.Transport.Socket!;

        Assert.Equal(new IPEndPoint(IPAddress.Parse(Peer.Group(ipv6)), 6400), socket.LocalEndPoint);
        Assert.Equal(1, ReadInt(socket, LibC.SOL_SOCKET, LibC.SO_REUSEADDR));
        Assert.Equal(0, ReadInt(socket, LibC.SOL_SOCKET, LibC.SO_REUSEPORT)); // not set, as in C joold
        Assert.True(ReadInt(socket, LibC.SOL_SOCKET, LibC.SO_RCVBUF) >= 2 * 4 * 1024 * 1024); // doubled by the kernel
        if (ipv6)
        {
            Assert.Equal(0, ReadInt(socket, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_LOOP));
            Assert.Equal(7, ReadInt(socket, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_HOPS));
            string index = (await node.ExecAsync("cat", $"/sys/class/net/{node.Interface}/ifindex")).StandardOutput.Trim();
            Assert.Equal(int.Parse(index, System.Globalization.CultureInfo.InvariantCulture), ReadInt(socket, LibC.IPPROTO_IPV6, LibC.IPV6_MULTICAST_IF));
        }
        else
        {
            Assert.Equal(0, ReadByteOption(socket, LibC.IP_MULTICAST_LOOP));
            Assert.Equal(7, ReadByteOption(socket, LibC.IP_MULTICAST_TTL));
            Assert.Equal(0, ReadInt(socket, LibC.IPPROTO_IP, LibC.IP_MULTICAST_ALL));
            byte[] outAddress = new byte[4];
            socket.GetRawSocketOption(LibC.IPPROTO_IP, LibC.IP_MULTICAST_IF, outAddress);
            Assert.Equal(node.Ipv4, new IPAddress(outAddress));
        }

        // The kernel's membership list has the group on the node's interface.
        string memberships = (await node.ExecAsync("ip", ipv6 ? "-6" : "-4", "maddr", "show", "dev", node.Interface)).StandardOutput;
        Assert.Contains(Peer.Group(ipv6), memberships, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Out_and_in_interfaces_pin_where_a_node_sends_and_listens(bool ipv6)
    {
        // A reaches B over link 1 and C over link 2, and both over the shared LAN.
        await using var net = await TestNetwork.CreateAsync(nodes: 3);
        var (nodeA, nodeB, nodeC) = (net.Nodes[0], net.Nodes[1], net.Nodes[2]);
        var link1 = await net.ConnectAsync(nodeA, nodeB);
        var link2 = await net.ConnectAsync(nodeA, nodeC);
        string Nic(TestInterface nic) => Peer.InterfaceSetting(nic, ipv6);

        await using var toB = await Peer.StartAsync(nodeA, Peer.Options(ipv6, outInterface: Nic(link1.A)), listen: false);
        await using var toC = await Peer.StartAsync(nodeA, Peer.Options(ipv6, outInterface: Nic(link2.A)), listen: false);
        await using var toLan = await Peer.StartAsync(nodeA, Peer.Options(ipv6, outInterface: Nic(nodeA.Primary)), listen: false);
        await using var b = await Peer.StartAsync(nodeB, Peer.Options(ipv6, inInterface: Nic(link1.B)));
        await using var c = await Peer.StartAsync(nodeC, Peer.Options(ipv6, inInterface: Nic(link2.B)));

        // IPv4: a bystander in B joins on B's LAN interface, so the LAN datagram really reaches B's host; the
        // pinned socket must still not hear it (IP_MULTICAST_ALL off). (IPv6 matches memberships by group only.)
        await using var bystander = ipv6 ? null : await Peer.StartAsync(nodeB, Peer.Options(ipv6, inInterface: Nic(nodeB.Primary)));

        byte[] onLan = TestSessions.Container(2, tag: 10);
        byte[] toBOnly = TestSessions.Container(3, tag: 11);
        byte[] toCOnly = TestSessions.Container(4, tag: 12);

        Assert.True(await toLan.SendAsync(onLan));
        if (bystander is not null)
        {
            await bystander.Received.WaitForAsync(onLan, "the LAN datagram at B's bystander");
        }

        Assert.True(await toB.SendAsync(toBOnly));
        await b.Received.WaitForAsync(toBOnly, "the link-1 datagram at B");
        Assert.True(await toC.SendAsync(toCOnly));
        await c.Received.WaitForAsync(toCOnly, "the link-2 datagram at C");

        // Whatever a pinned listener should not hear was sent before what it waited for, on a path at least as fast.
        Assert.Equal([toBOnly], b.Received.Batches);
        Assert.Equal([toCOnly], c.Received.Batches);

        // And the other way round: a second round in the opposite order proves neither result was routing's default.
        byte[] toCAgain = TestSessions.Container(5, tag: 13);
        byte[] toBAgain = TestSessions.Container(6, tag: 14);
        Assert.True(await toC.SendAsync(toCAgain));
        Assert.True(await toB.SendAsync(toBAgain));
        await b.Received.WaitForAsync(toBAgain, "the second link-1 datagram at B");
        await c.Received.WaitForAsync(toCAgain, "the second link-2 datagram at C");
        Assert.Equal([toBOnly, toBAgain], b.Received.Batches);
        Assert.Equal([toCOnly, toCAgain], c.Received.Batches);
    }

    [Theory]
    [InlineData(false, "in interface", "203.0.113.250", "no interface in this network namespace has that IPv4 address")]
    [InlineData(false, "out interface", "203.0.113.250", "no interface in this network namespace has that IPv4 address")]
    [InlineData(true, "in interface", "nosuchif0", "no interface with that name in this network namespace")]
    [InlineData(true, "out interface", "nosuchif0", "no interface with that name in this network namespace")]
    public async Task An_interface_missing_at_start_fails_naming_the_key_and_value(bool ipv6, string key, string value, string reason)
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 1);
        var options = key == "in interface" ? Peer.Options(ipv6, inInterface: value) : Peer.Options(ipv6, outInterface: value);

        var error = await Assert.ThrowsAsync<Joold.Configuration.JooldConfigException>(() => Peer.StartAsync(net.Nodes[0], options));

        Assert.Contains($"netsocket.json: '{key}' is \"{value}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_host_name_that_is_no_group_fails_at_start_saying_what_it_resolved_to()
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 1);
        var options = Joold.Plugins.Multicast.MulticastOptions.FromSection(
            Joold.Configuration.ConfigSection.Parse("netsocket.json", """{"multicast address": "localhost"}"""));

        var error = await Assert.ThrowsAsync<Joold.Configuration.JooldConfigException>(() => Peer.StartAsync(net.Nodes[0], options));

        Assert.Contains("'multicast address' is \"localhost\" (resolved to ", error.Message, StringComparison.Ordinal);
        Assert.Contains("which is not a multicast address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_local_group_works_with_a_zone_and_without_one_fails_with_a_hint()
    {
        await using var net = await TestNetwork.CreateAsync(nodes: 2);
        var (nodeA, nodeB) = (net.Nodes[0], net.Nodes[1]);
        static Joold.Plugins.Multicast.MulticastOptions LinkLocal(string address) => Joold.Plugins.Multicast.MulticastOptions.FromSection(
            Joold.Configuration.ConfigSection.Parse("netsocket.json", $$"""{"multicast address": "{{address}}"}"""));

        var error = await Assert.ThrowsAsync<Joold.Configuration.JooldConfigException>(() => Peer.StartAsync(nodeA, LinkLocal("ff02::db8:64:64")));
        Assert.Contains("a link-local group, which needs its interface", error.Message, StringComparison.Ordinal);

        // The zone names each node's own interface; numbers, because names resolve in the namespace that parses them.
        async Task<string> Zoned(TestNode node) =>
            $"ff02::db8:64:64%{(await node.ExecAsync("cat", $"/sys/class/net/{node.Interface}/ifindex")).StandardOutput.Trim()}";
        await using var a = await Peer.StartAsync(nodeA, LinkLocal(await Zoned(nodeA)), listen: false);
        await using var b = await Peer.StartAsync(nodeB, LinkLocal(await Zoned(nodeB)));
        byte[] batch = TestSessions.Container(2, tag: 60);

        Assert.True(await a.SendAsync(batch));
        await b.Received.WaitForAsync(batch, "the batch on the link-local group at B");
    }

    private static int ReadInt(Socket socket, int level, int option)
    {
        byte[] value = new byte[4];
        socket.GetRawSocketOption(level, option, value);
        return BitConverter.ToInt32(value);
    }

    /// <summary>IP_MULTICAST_TTL and IP_MULTICAST_LOOP read back as one byte.</summary>
    private static int ReadByteOption(Socket socket, int option)
    {
        byte[] value = new byte[4];
        int length = socket.GetRawSocketOption(LibC.IPPROTO_IP, option, value);
        return length == 1 ? value[0] : BitConverter.ToInt32(value);
    }
}
