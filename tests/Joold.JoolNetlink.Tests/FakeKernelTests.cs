using System.Buffers.Binary;
using System.Net;
using System.Text;
using Joold.FakeKernel;
using Joold.Sessions;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>Pins the fake kernel to the spec (sections 1.6 and 4), over real netlink, with a manual clock.</summary>
public sealed class FakeKernelTests
{
    private const int EINVAL = 22;

    [Fact]
    public async Task Getfamily_answers_jool_with_the_family_and_joold_group_and_enoent_for_other_names()
    {
        await using var fake = await FakeJoolKernel.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var socket = Joold.Netlink.NetlinkSocket.Open();
        var peer = Joold.Netlink.NetlinkAddress.Create(fake.PortId);

        var jool = await Joold.Netlink.GenericNetlinkResolver.ResolveAsync(socket, peer, "Jool", 1, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var other = await Joold.Netlink.GenericNetlinkResolver.ResolveAsync(socket, peer, "jool", 2, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.NotNull(jool);
        Assert.Equal(fake.FamilyId, jool.Id);
        Assert.Equal(fake.GroupId, jool.Groups["joold"]);
        Assert.Null(other);
        Assert.InRange(fake.GroupId, 2u, 32u);
        socket.JoinGroup(fake.GroupId);
    }

    [Fact]
    public async Task Fakes_of_one_process_get_different_groups_that_no_real_family_uses()
    {
        await using var a = await FakeJoolKernel.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using var b = await FakeJoolKernel.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEqual(a.GroupId, b.GroupId);
        Assert.NotEqual(0x10u, a.GroupId);
    }

    [Fact]
    public async Task A_multicast_is_the_kernels_exact_bytes()
    {
        var time = new FakeTimeProvider();
        await using var fake = await StartAsync(time, "nat64", new FakeInstanceSettings { MaxSessionsPerPacket = 1 });
        using var client = new NetlinkTestClient(fake);

        fake.Inject("nat64", [TestSessions.Example]);
        byte[] message = await client.ReceiveAsync();

        var expected = new List<byte>();
        expected.AddRange(Le32(48 + 4 + 40));
        expected.AddRange(Le16(fake.FamilyId));
        expected.AddRange(new byte[10]); // flags 0, seq 0, pid 0
        expected.AddRange(new byte[] { 0, 2, 0, 0 });
        expected.AddRange("jool"u8.ToArray());
        expected.AddRange(new byte[] { 0x04, 0x01, 0x0F, 0x00, 2, 0, 0, 0 });
        expected.AddRange(NameBuffer("nat64"));
        expected.AddRange(new byte[] { 0x2C, 0x00, 0x07, 0x80 });
        expected.AddRange(TestSessions.ExampleEntryBytes);
        Assert.Equal(expected.ToArray(), message);
    }

    [Fact]
    public async Task The_flush_decision_follows_the_order_of_section_4_3()
    {
        var time = new FakeTimeProvider();
        await using var fake = await StartAsync(time, "i");
        using var client = new NetlinkTestClient(fake);

        fake.Inject("i", TestSessions.Many(35));
        Assert.Equal(new JooldKernelStats { Queuing = 35, SssQueued = 35 }, fake.GetStats("i"));

        fake.Inject("i", TestSessions.Many(1, tag: 1));
        Assert.Equal(36, EntryCount(await client.ReceiveAsync()));
        Assert.Equal(1, fake.GetStats("i").PktFull);

        fake.Inject("i", TestSessions.Many(40, tag: 2));
        var waiting = fake.Snapshot.Instance("i");
        Assert.Equal(40, waiting.Stats.MissingAck);
        Assert.Equal(40, waiting.QueueCount);
        Assert.False(waiting.AckReceived);

        // The multicast leaves after the state that caused it is published: no wait needed to see the ACK counted.
        client.Send(FakeJoolKernel.CmdJooldAck, "i");
        Assert.Equal(36, EntryCount(await client.ReceiveAsync()));
        var acked = fake.Snapshot.Instance("i");
        Assert.Equal(2, acked.Stats.PktFull);
        Assert.Equal(1, acked.Stats.Acks);
        Assert.Equal(4, acked.QueueCount);

        // 4 left, no ACK: only the deadline sends them, and only once it is strictly past.
        time.Advance(TimeSpan.FromMilliseconds(2000));
        fake.Tick();
        Assert.Equal(4, fake.QueueCount("i"));
        time.Advance(TimeSpan.FromMilliseconds(1));
        fake.Tick();
        Assert.Equal(4, EntryCount(await client.ReceiveAsync()));
        var flushed = fake.Snapshot.Instance("i");
        Assert.Equal(1, flushed.Stats.Timeout);
        Assert.Equal(3, flushed.Stats.PktSent);
        Assert.Equal(76, flushed.Stats.SssSent);
        Assert.Equal(0, flushed.QueueCount);
    }

    [Fact]
    public async Task The_two_second_timer_runs_the_flush_decision()
    {
        var time = new FakeTimeProvider();
        await using var fake = await StartAsync(time, "i");
        using var client = new NetlinkTestClient(fake);
        fake.Inject("i", TestSessions.Many(3));

        // FakeTimeProvider fires due timers inside Advance, on this thread, with the clock already at the end of the
        // advance: stepping by exactly the period runs each tick at its own time.
        time.Advance(TimeSpan.FromSeconds(2)); // first tick at 2000 ms: not yet past the deadline
        Assert.Equal(2000, fake.NowMs);
        var firstTick = fake.Snapshot.Instance("i");
        Assert.Equal(3, firstTick.QueueCount);
        Assert.Equal(3 + 1, firstTick.Stats.Queuing); // three enqueues, then the tick's decision
        time.Advance(TimeSpan.FromSeconds(2)); // second tick at 4000 ms

        Assert.Equal(3, EntryCount(await client.ReceiveAsync()));
        Assert.Equal(1, fake.GetStats("i").Timeout);
    }

    [Fact]
    public async Task Beyond_capacity_new_sessions_are_dropped_and_counted()
    {
        var time = new FakeTimeProvider();
        await using var fake = await StartAsync(time, "i");
        using var client = new NetlinkTestClient(fake);

        fake.Inject("i", TestSessions.Many(600));

        Assert.Equal(36, EntryCount(await client.ReceiveAsync()));
        var stats = fake.GetStats("i");
        Assert.Equal(512, fake.QueueCount("i"));
        Assert.Equal(600, stats.SssQueued);
        Assert.Equal(600 - 36 - 512, stats.SssEnospc);
    }

    [Fact]
    public async Task Advertise_sends_the_database_ignoring_capacity_and_refuses_overlaps()
    {
        var time = new FakeTimeProvider();
        await using var fake = await StartAsync(time, "i", new FakeInstanceSettings { Capacity = 10 });
        using var client = new NetlinkTestClient(fake);

        uint empty = client.Send(FakeJoolKernel.CmdJooldAdvertise, "i");
        Assert.Equal(SuccessReply(fake, empty, client.PortId, "i"), await client.ReceiveAsync());
        Assert.Equal(0, fake.GetStats("i").Ads);

        fake.Configure("i", s => s with { Enabled = false });
        fake.Inject("i", TestSessions.Many(40)); // into the DB only: SS is off
        fake.Configure("i", s => s with { Enabled = true });
        Assert.Equal(0, fake.QueueCount("i"));

        uint first = client.Send(FakeJoolKernel.CmdJooldAdvertise, "i");
        Assert.Equal(36, EntryCount(await client.ReceiveAsync()));
        Assert.Equal(SuccessReply(fake, first, client.PortId, "i"), await client.ReceiveAsync());
        Assert.Equal(1, fake.GetStats("i").Ads);

        uint overlap = client.Send(FakeJoolKernel.CmdJooldAdvertise, "i");
        AssertErrorReply(await client.ReceiveAsync(), overlap, EINVAL, "joold advertisement already in progress.");

        client.Send(FakeJoolKernel.CmdJooldAck, "i");
        Assert.Equal(4, EntryCount(await client.ReceiveAsync()));
        Assert.Equal(2, fake.GetStats("i").AdOngoing);
        Assert.Equal(0, fake.QueueCount("i"));

        fake.Configure("i", s => s with { Enabled = false });
        uint disabled = client.Send(FakeJoolKernel.CmdJooldAdvertise, "i");
        AssertErrorReply(await client.ReceiveAsync(), disabled, EINVAL, "Session sync is disabled on this instance.");
    }

    [Fact]
    public async Task Joold_add_stores_sessions_without_any_reply_and_counts_them()
    {
        await using var fake = await StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);

        client.SendAdd("i", TestSessions.Container(3));
        await client.AssertNoReplyPendingAsync("i");

        Assert.Equal(3, fake.GetDatabase("i").Count);
        Assert.Equal(3, fake.GetStats("i").SssRcvd);
        Assert.Equal(1, fake.GetStats("i").PktRcvd);
        Assert.Equal(0, fake.QueueCount("i"));
    }

    [Fact]
    public async Task Joold_add_collisions_and_mask_clashes_are_successes_and_leave_the_database_alone()
    {
        await using var fake = await StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);
        var original = TestSessions.Many(1)[0];
        fake.Configure("i", s => s with { Enabled = false });
        fake.Inject("i", [original]);
        fake.Configure("i", s => s with { Enabled = true });

        var collision = original with { Source4 = IPAddress.Parse("192.0.2.99") };
        var maskTaken = original with { Source6 = IPAddress.Parse("2001:db8::beef") };
        var update = original with { ExpirationMilliseconds = 5, State = TcpState.Established };
        client.SendAdd("i", SessionContainer.Create([collision, maskTaken]));
        await client.AssertNoReplyPendingAsync("i");

        var stored = Assert.Single(fake.GetDatabase("i"));
        Assert.Equal(original.Source4, stored.Source4);
        Assert.Equal(1, fake.GetStats("i").Collisions);

        client.SendAdd("i", SessionContainer.Create([update]));
        await client.AssertNoReplyPendingAsync("i");
        Assert.Equal(5u, Assert.Single(fake.GetDatabase("i")).ExpirationMilliseconds);
    }

    [Fact]
    public async Task Joold_add_failures_are_one_error_reply_and_the_other_entries_still_count()
    {
        await using var fake = await StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);
        byte[] container = TestSessions.Container(3);
        container[40 + 4 + 35] = 0x60; // entry 2: protocol 3
        container[80 + 4 + 35] = 0x03; // entry 3: TCP with timer 3

        uint seq = client.SendAdd("i", container);

        AssertErrorReply(await client.ReceiveAsync(), seq, EINVAL, "Unknown protocol: 3Unknown session timer: 3");
        Assert.Single(fake.GetDatabase("i"));
        Assert.Equal(3, fake.GetStats("i").SssRcvd);
    }

    [Fact]
    public async Task Joold_add_without_a_container_is_refused_instead_of_crashing()
    {
        await using var fake = await StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);

        uint seq = client.Send(FakeJoolKernel.CmdJooldAdd, "i");

        AssertErrorReply(await client.ReceiveAsync(), seq, EINVAL, "lacks a session container");
        Assert.Equal(0, fake.GetStats("i").PktRcvd);
    }

    [Fact]
    public async Task Requests_that_fail_request_handle_start_get_jool_error_replies()
    {
        await using var fake = await StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);

        AssertErrorReply(await Reply(client.Send(FakeJoolKernel.CmdJooldAck, "nope")), 0, 3, "This namespace lacks an instance named 'nope'.");
        AssertErrorReply(await Reply(client.Send(FakeJoolKernel.CmdJooldAck, "I")), 0, 3, "This namespace lacks an instance named 'I'.");
        AssertErrorReply(await Reply(client.Send(FakeJoolKernel.CmdJooldAck, "i", version: 0x04020000)), 0, EINVAL, "Version mismatch");
        AssertErrorReply(await Reply(client.Send(FakeJoolKernel.CmdJooldAck, "i", magic: "jooL")), 0, EINVAL, "magic");
        AssertErrorReply(await Reply(client.Send(FakeJoolKernel.CmdJooldAck, "i", xt: 1)), 0, EINVAL, "NAT64");
        client.Send(FakeJoolKernel.CmdJooldAck, "i", version: 0x0401FFFF);
        await client.AssertNoReplyPendingAsync("i");
        Assert.Equal(1, fake.GetStats("i").Acks);

        async Task<byte[]> Reply(uint seq)
        {
            byte[] reply = await client.ReceiveAsync();
            Assert.Equal(seq, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(8)));
            return reply;
        }
    }

    [Fact]
    public async Task Genetlink_checks_give_a_bare_nlmsg_error()
    {
        await using var fake = await StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);

        uint missingNested = client.SendAdd("i", TestSessions.Container(1), type: 0x0007);
        AssertNetlinkError(await client.ReceiveAsync(), missingNested, -EINVAL);
        uint reserved = client.Send(FakeJoolKernel.CmdJooldAck, "i", reserved: 1);
        AssertNetlinkError(await client.ReceiveAsync(), reserved, -EINVAL);
        uint unknown = client.Send(99, "i");
        AssertNetlinkError(await client.ReceiveAsync(), unknown, -95);
    }

    [Fact]
    public async Task The_error_reply_layout_is_section_1_6_d()
    {
        await using var fake = await StartAsync(new FakeTimeProvider(), "i", new FakeInstanceSettings { Enabled = false });
        using var client = new NetlinkTestClient(fake, joinGroup: false);

        uint seq = client.SendAdd("i", TestSessions.Container(1));
        byte[] reply = await client.ReceiveAsync();

        const string text = "Session sync is disabled on this instance.";
        int textAttribute = 4 + text.Length + 1;
        int expectedLength = 48 + 8 + ((textAttribute + 3) & ~3);
        Assert.Equal((uint)expectedLength, BinaryPrimitives.ReadUInt32LittleEndian(reply));
        Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(6)));
        Assert.Equal(seq, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(8)));
        Assert.Equal(client.PortId, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(12)));
        Assert.Equal(new byte[] { 0, 2, 0, 0 }, reply[16..20]);
        Assert.Equal(0x01, reply[29]);
        Assert.Equal(new byte[] { 6, 0, 1, 0, 22, 0, 0, 0 }, reply[48..56]);
        Assert.Equal((ushort)textAttribute, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(56)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(58)));
        Assert.Equal(text + "\0", Encoding.ASCII.GetString(reply, 60, text.Length + 1));
    }

    [Fact]
    public async Task Acks_are_never_answered_unless_rejected_and_drop_mode_ignores_them()
    {
        var time = new FakeTimeProvider();
        await using var fake = await StartAsync(time, "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);

        client.Send(FakeJoolKernel.CmdJooldAck, "i");
        await client.AssertNoReplyPendingAsync("i");
        fake.AckMode = AckMode.Drop;
        client.Send(FakeJoolKernel.CmdJooldAck, "i");
        await client.AssertNoReplyPendingAsync("i");
        Assert.Equal(1, fake.GetStats("i").Acks);

        fake.AckMode = AckMode.Reject;
        uint rejected = client.Send(FakeJoolKernel.CmdJooldAck, "i");
        AssertErrorReply(await client.ReceiveAsync(), rejected, 3, "lacks an instance named 'i'");

        fake.AckMode = AckMode.Accept;
        fake.Configure("i", s => s with { Enabled = false });
        client.Send(FakeJoolKernel.CmdJooldAck, "i");
        await client.AssertNoReplyPendingAsync("i");
        Assert.Equal(1, fake.GetStats("i").Acks);
    }

    [Fact]
    public async Task Hello_says_alive_or_dead()
    {
        await using var fake = await StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);

        uint alive = client.Send(FakeJoolKernel.CmdInstanceHello, "i");
        byte[] aliveReply = await client.ReceiveAsync();
        uint dead = client.Send(FakeJoolKernel.CmdInstanceHello, "other", xt: 1);
        byte[] deadReply = await client.ReceiveAsync();

        Assert.Equal([.. SuccessReply(fake, alive, client.PortId, "i", 56), 5, 0, 1, 0, 0, 0, 0, 0], aliveReply);
        Assert.Equal(new byte[] { 5, 0, 1, 0, 1 }, deadReply[48..53]);
        Assert.Equal(dead, BinaryPrimitives.ReadUInt32LittleEndian(deadReply.AsSpan(8)));
    }

    internal static Task<FakeJoolKernel> StartAsync(FakeTimeProvider time, string instance, FakeInstanceSettings? settings = null) =>
        FakeJoolKernel.StartAsync(
            new FakeKernelOptions { Time = time, Instances = new Dictionary<string, FakeInstanceSettings> { [instance] = settings ?? new() } },
            TestContext.Current.CancellationToken);

    private static int EntryCount(byte[] multicast)
    {
        Assert.Equal(0x8007, BinaryPrimitives.ReadUInt16LittleEndian(multicast.AsSpan(50)));
        return (BinaryPrimitives.ReadUInt16LittleEndian(multicast.AsSpan(48)) - 4) / 40;
    }

    private static byte[] SuccessReply(FakeJoolKernel fake, uint seq, uint portId, string instance, int length = 48)
    {
        var reply = new byte[48];
        BinaryPrimitives.WriteUInt32LittleEndian(reply, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(reply.AsSpan(4), fake.FamilyId);
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(12), portId);
        reply[17] = 2;
        "jool"u8.CopyTo(reply.AsSpan(20));
        new byte[] { 4, 1, 15, 0, 2 }.CopyTo(reply.AsSpan(24));
        NameBuffer(instance).CopyTo(reply.AsSpan(32));
        return reply;
    }

    internal static void AssertErrorReply(byte[] reply, uint seq, int errno, string text)
    {
        if (seq != 0)
        {
            Assert.Equal(seq, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(8)));
        }

        Assert.Equal(0x01, reply[29] & 0x01);
        Assert.Equal(errno, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(52)));
        Assert.Contains(text, Encoding.ASCII.GetString(reply, 60, reply.Length - 60), StringComparison.Ordinal);
    }

    internal static void AssertNetlinkError(byte[] reply, uint seq, int error)
    {
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(4)));
        Assert.Equal(seq, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(8)));
        Assert.Equal(error, BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(16)));
    }

    private static byte[] NameBuffer(string name)
    {
        var buffer = new byte[16];
        Encoding.ASCII.GetBytes(name, buffer);
        return buffer;
    }

    private static byte[] Le32(uint value) => BitConverter.GetBytes(value);

    private static byte[] Le16(ushort value) => BitConverter.GetBytes(value);
}
