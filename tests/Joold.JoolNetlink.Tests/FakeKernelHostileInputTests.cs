using System.Buffers.Binary;
using System.Text;
using Joold.FakeKernel;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Malformed requests, byte by byte: each gets what the kernel would answer (a bare NLMSG_ERROR quoting the request,
/// or a Jool error reply) or nothing, and the fake never faults and goes on serving. The bytes are written out here
/// with their offsets, independently of the fake's own definitions.
/// </summary>
public sealed class FakeKernelHostileInputTests
{
    private const int EINVAL = 22;
    private const int ENOENT = 2;
    private const int ERANGE = 34;
    private const int EOPNOTSUPP = 95;
    private const ushort NlmFRequest = 1;
    private const ushort NlmFDump = 0x300;
    private const ushort GenlIdCtrl = 0x10;
    private const byte CtrlCmdGetFamily = 3;
    private const uint Sequence = 77;

    private enum Answer
    {
        Nothing,
        NetlinkError,
        JoolError,
    }

    [Theory]
    [InlineData("three bytes")]
    [InlineData("nlmsg_len below the header")]
    [InlineData("nlmsg_len beyond the datagram")]
    [InlineData("a netlink control message")]
    [InlineData("not a request")]
    [InlineData("an unknown family")]
    [InlineData("genl header cut short")]
    [InlineData("Jool header cut short")]
    [InlineData("unknown command")]
    [InlineData("dump flag")]
    [InlineData("attribute type 0")]
    [InlineData("attribute type above JNLAR_MAX")]
    [InlineData("u8 attribute of two bytes")]
    [InlineData("u8 attribute flagged nested")]
    [InlineData("nest shorter than an attribute header")]
    [InlineData("attribute longer than the message")]
    [InlineData("attribute length below its header")]
    [InlineData("stray bytes after the attributes")]
    [InlineData("iname without a NUL")]
    [InlineData("iname with a control character")]
    [InlineData("nlctrl without a genl header")]
    [InlineData("nlctrl naming no family")]
    [InlineData("nlctrl name without a NUL")]
    [InlineData("nlctrl name attribute too long")]
    [InlineData("nlctrl id of one byte")]
    [InlineData("nlctrl unknown id")]
    public async Task A_malformed_request_gets_the_kernels_answer_or_nothing_and_the_fake_goes_on(string name)
    {
        await using var fake = await FakeKernelTests.StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);
        var (request, answer, error, text) = Case(name, fake.FamilyId, client.PortId);

        client.SendRaw(request);

        switch (answer)
        {
            case Answer.NetlinkError:
                byte[] reply = await client.ReceiveAsync();
                FakeKernelTests.AssertNetlinkError(reply, Sequence, -error);
                Assert.Equal(client.PortId, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(12)));
                Assert.Equal(request, reply[20..]); // netlink_ack quotes the whole failed request.
                break;
            case Answer.JoolError:
                FakeKernelTests.AssertErrorReply(await client.ReceiveAsync(), Sequence, error, text!);
                break;
        }

        await client.AssertNoReplyPendingAsync("i");
        Assert.Equal(0, fake.Snapshot.HandlerFaults);
    }

    [Fact]
    public async Task An_add_full_of_broken_entries_gets_one_reply_cut_to_128_characters_and_short_entries_read_zeros()
    {
        await using var fake = await FakeKernelTests.StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);
        var container = new List<byte>();
        for (int i = 0; i < 1000; i++)
        {
            container.AddRange(Attribute(1, new byte[8])); // nla_len 12: too small for a session
        }

        byte[] shortEntry = TestSessions.ExampleEntryBytes[4..36]; // 32 bytes: passes the kernel's length check
        container.AddRange(Attribute(1, shortEntry));
        container.AddRange([9, 9]); // malformed trailing bytes end the walk silently

        uint seq = client.SendAdd("i", container.ToArray());
        byte[] reply = await client.ReceiveAsync();

        FakeKernelTests.AssertErrorReply(reply, seq, EINVAL, "Invalid request: The session attribute is too small.");
        Assert.Equal(128 + 1, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(56)) - 4);
        var state = fake.Snapshot.Instance("i");
        Assert.Equal(1001, state.Stats.SssRcvd);
        Assert.Equal(1, state.SessionCount);
        Assert.Equal(0, Assert.Single(fake.GetDatabase("i")).Destination4Port); // the 4 bytes past the entry read as 0
        Assert.Equal(0, fake.Snapshot.HandlerFaults);
    }

    [Fact]
    public async Task Several_messages_in_one_datagram_are_answered_in_order_and_a_broken_tail_is_dropped()
    {
        await using var fake = await FakeKernelTests.StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);
        byte[] unknownFamily = Message(0x7777, NlmFRequest, [0, 1, 0, 0]);
        byte[] hello = Message(fake.FamilyId, NlmFRequest, JoolPayload(2, "i"u8));

        client.SendRaw([.. unknownFamily, .. hello, 40, 0, 0]);

        FakeKernelTests.AssertNetlinkError(await client.ReceiveAsync(), Sequence, -ENOENT);
        byte[] helloReply = await client.ReceiveAsync();
        Assert.Equal(fake.FamilyId, BinaryPrimitives.ReadUInt16LittleEndian(helloReply.AsSpan(4)));
        Assert.Equal(new byte[] { 5, 0, 1, 0, 0 }, helloReply[48..53]); // JNLAIS_STATUS: alive
        await client.AssertNoReplyPendingAsync("i");
        Assert.Equal(2, fake.Snapshot.Received.Count(m => m.SenderPortId == client.PortId && m.Sequence == Sequence));
    }

    [Fact]
    public async Task Nlctrl_resolves_the_family_by_id_too()
    {
        await using var fake = await FakeKernelTests.StartAsync(new FakeTimeProvider(), "i");
        using var client = new NetlinkTestClient(fake, joinGroup: false);

        client.SendRaw(Message(GenlIdCtrl, NlmFRequest, [CtrlCmdGetFamily, 1, 0, 0, .. Attribute(1, BitConverter.GetBytes(fake.FamilyId))]));
        byte[] reply = await client.ReceiveAsync();

        Assert.Equal(GenlIdCtrl, BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(4)));
        var family = Joold.Netlink.GenericNetlinkResolver.ParseFamily(reply.AsSpan(20));
        Assert.NotNull(family);
        Assert.Equal(fake.FamilyId, family.Id);
        Assert.Equal("Jool", family.Name);
        Assert.Equal(fake.GroupId, family.Groups["joold"]);
    }

    private static (byte[] Request, Answer Answer, int Error, string? Text) Case(string name, ushort family, uint port)
    {
        byte[] ack = JoolPayload(29, "i"u8);
        return name switch
        {
            "three bytes" => ([1, 2, 3], Answer.Nothing, 0, null),
            "nlmsg_len below the header" => (WithLength(Message(family, NlmFRequest, ack), 8), Answer.Nothing, 0, null),
            "nlmsg_len beyond the datagram" => (WithLength(Message(family, NlmFRequest, ack), 100), Answer.Nothing, 0, null),
            "a netlink control message" => (Message(1, NlmFRequest, ack), Answer.Nothing, 0, null),
            "not a request" => (Message(family, 0, ack), Answer.Nothing, 0, null),
            "an unknown family" => (Message(0x7777, NlmFRequest, ack), Answer.NetlinkError, ENOENT, null),
            "genl header cut short" => (Message(family, NlmFRequest, [29, 1]), Answer.NetlinkError, EINVAL, null),
            "Jool header cut short" => (Message(family, NlmFRequest, ack[..(4 + 27)]), Answer.NetlinkError, EINVAL, null),
            "unknown command" => (Message(family, NlmFRequest, JoolPayload(30, "i"u8)), Answer.NetlinkError, EOPNOTSUPP, null),
            "dump flag" => (Message(family, NlmFRequest | NlmFDump, ack), Answer.NetlinkError, EOPNOTSUPP, null),
            "attribute type 0" => (Message(family, NlmFRequest, [.. ack, .. Attribute(0, [1])]), Answer.NetlinkError, EINVAL, null),
            "attribute type above JNLAR_MAX" => (Message(family, NlmFRequest, [.. ack, .. Attribute(14, [1])]), Answer.NetlinkError, EINVAL, null),
            "u8 attribute of two bytes" => (Message(family, NlmFRequest, [.. ack, .. Attribute(11, [1, 2])]), Answer.NetlinkError, EINVAL, null),
            "u8 attribute flagged nested" => (Message(family, NlmFRequest, [.. ack, .. Attribute(0x8000 | 11, [1])]), Answer.NetlinkError, EINVAL, null),
            "nest shorter than an attribute header" => (Message(family, NlmFRequest, [.. ack, .. Attribute(0x8007, [1, 2])]), Answer.NetlinkError, ERANGE, null),
            "attribute longer than the message" => (Message(family, NlmFRequest, [.. ack, 200, 0, 7, 0x80]), Answer.NetlinkError, EINVAL, null),
            "attribute length below its header" => (Message(family, NlmFRequest, [.. ack, 2, 0, 7, 0x80]), Answer.NetlinkError, EINVAL, null),
            "stray bytes after the attributes" => (Message(family, NlmFRequest, [.. ack, .. Attribute(11, [1]), 9, 9, 9]), Answer.NetlinkError, EINVAL, null),
            "iname without a NUL" => (Message(family, NlmFRequest, JoolPayload(29, "sixteen-chars-xx"u8)), Answer.JoolError, EINVAL, "null-terminated ascii string, 15 characters max."),
            "iname with a control character" => (Message(family, NlmFRequest, JoolPayload(29, "i\u0007"u8)), Answer.JoolError, EINVAL, "null-terminated ascii string"),
            "nlctrl without a genl header" => (Message(GenlIdCtrl, NlmFRequest, [CtrlCmdGetFamily]), Answer.NetlinkError, EINVAL, null),
            "nlctrl naming no family" => (Message(GenlIdCtrl, NlmFRequest, [CtrlCmdGetFamily, 1, 0, 0]), Answer.NetlinkError, EINVAL, null),
            "nlctrl name without a NUL" => (Controller(Attribute(2, "Jool"u8)), Answer.NetlinkError, EINVAL, null),
            "nlctrl name attribute too long" => (Controller(Attribute(2, "Jool\0and-15-more-bytes"u8)), Answer.NetlinkError, ERANGE, null),
            "nlctrl id of one byte" => (Controller(Attribute(1, [0x6F])), Answer.NetlinkError, ERANGE, null),
            "nlctrl unknown id" => (Controller(Attribute(1, BitConverter.GetBytes((ushort)(family + 1)))), Answer.NetlinkError, ENOENT, null),
            _ => throw new ArgumentException(name, nameof(name)),
        };

        byte[] Message(ushort type, ushort flags, byte[] payload) => FakeKernelHostileInputTests.Message(type, flags, payload, port);

        byte[] Controller(byte[] attribute) => Message(GenlIdCtrl, NlmFRequest, [CtrlCmdGetFamily, 1, 0, 0, .. attribute]);
    }

    /// <summary>nlmsghdr (len, type, flags, seq 77, pid) and the payload, unpadded.</summary>
    private static byte[] Message(ushort type, ushort flags, byte[] payload, uint port = 0)
    {
        var message = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), Sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), port);
        payload.CopyTo(message.AsSpan(16));
        return message;
    }

    private static byte[] WithLength(byte[] message, uint length)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(message, length);
        return message;
    }

    /// <summary>genlmsghdr (cmd, version 1) and a joolnlhdr for 4.1.15, NAT64, with these iname bytes.</summary>
    private static byte[] JoolPayload(byte cmd, ReadOnlySpan<byte> iname)
    {
        var payload = new byte[4 + 28];
        payload[0] = cmd;
        payload[1] = 1;
        Encoding.ASCII.GetBytes("jool").CopyTo(payload.AsSpan(4));
        new byte[] { 4, 1, 15, 0, 2 }.CopyTo(payload.AsSpan(8));
        iname.CopyTo(payload.AsSpan(16));
        return payload;
    }

    /// <summary>An nlattr with this payload, padded to 4.</summary>
    private static byte[] Attribute(ushort type, ReadOnlySpan<byte> payload)
    {
        var attribute = new byte[(4 + payload.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
        payload.CopyTo(attribute.AsSpan(4));
        return attribute;
    }
}
