using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Joold.Netlink;
using Joold.Plugins.JoolNetlink.Jool;
using Joold.Testing;
using NetlinkC = Joold.Netlink.Interop.Netlink;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// The readers of Joold.Netlink (and the plugin's Jool readers on top of them) against truncated and hostile input:
/// they never throw and never read past what they checked; bad input ends as "malformed", never as an exception.
/// </summary>
public sealed class NetlinkReaderTests
{
    private const ushort Family = 0x6A6F;

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(3, 0, true)]
    [InlineData(16, 0, false)]
    [InlineData(16, 16, false)]
    [InlineData(16, 15, true)]
    [InlineData(16, 17, true)]
    [InlineData(40, 0xFFFFFFFF, true)]
    public void Message_framing_stops_on_any_length_out_of_bounds(int size, uint declared, bool malformed)
    {
        var datagram = new byte[size];
        if (size >= 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(datagram, declared == 0 ? (uint)size : declared);
        }

        var messages = new NetlinkMessageEnumerator(datagram);
        int count = 0;
        while (messages.MoveNext())
        {
            count++;
        }

        Assert.Equal(malformed, messages.Malformed);
        Assert.Equal(malformed || size == 0 ? 0 : 1, count);
    }

    [Fact]
    public void Attribute_framing_pads_to_four_and_stops_on_bad_lengths()
    {
        byte[] attributes = [5, 0, 1, 0, 0xAA, 0, 0, 0, 4, 0, 2, 0, 0xFF, 0xFF, 3, 0];
        var walk = new NetlinkAttributeEnumerator(attributes);

        Assert.True(walk.MoveNext());
        Assert.Equal(1, walk.Current.Type);
        Assert.Equal(new byte[] { 0xAA }, walk.Current.Payload.ToArray());
        Assert.True(walk.MoveNext());
        Assert.Equal(2, walk.Current.Type);
        Assert.True(walk.Current.Payload.IsEmpty);
        Assert.False(walk.MoveNext());
        Assert.True(walk.Malformed);
    }

    [Fact]
    public void Every_truncation_of_a_valid_datagram_ends_whole_messages_or_malformed()
    {
        // The middle message's length is not a multiple of 4: its padding may be cut off when it is the last.
        byte[] datagram = Datagram(TestSessions.Container(1), [1, 2, 3, 4, 5, 6], TestSessions.Container(2));
        int[] ends = MessageEnds(datagram);

        for (int cut = 0; cut <= datagram.Length; cut++)
        {
            var messages = new NetlinkMessageEnumerator(datagram.AsSpan(0, cut));
            int count = 0;
            while (messages.MoveNext())
            {
                count++;
            }

            // Only the padding after the last message may be missing; any other cut leaves a malformed tail.
            int whole = ends.Count(end => end <= cut);
            bool atBoundary = cut == 0 || ends.Any(end => cut >= end && cut <= NetlinkC.NLMSG_ALIGN(end));
            Assert.True(whole == count, $"cut {cut}: {count} messages, expected {whole}");
            Assert.True(atBoundary != messages.Malformed, $"cut {cut}: malformed {messages.Malformed}");
        }
    }

    [Fact]
    public void A_bare_header_has_an_empty_payload_and_a_short_error_has_no_code()
    {
        var message = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(message, 16);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), NetlinkC.NLMSG_ERROR);

        var walk = new NetlinkMessageEnumerator(message);

        Assert.True(walk.MoveNext());
        Assert.True(walk.Current.Payload.IsEmpty);
        Assert.Null(walk.Current.ErrorCode);
    }

    [Fact]
    public void An_address_that_is_too_short_or_not_netlink_has_no_port_id()
    {
        Assert.Null(NetlinkAddress.PortIdOf(new SocketAddress(AddressFamily.Unspecified, 4)));
        Assert.Null(NetlinkAddress.PortIdOf(new IPEndPoint(IPAddress.Loopback, 5).Serialize()));
        Assert.Equal(77u, NetlinkAddress.PortIdOf(NetlinkAddress.Create(77)));
    }

    [Property(MaxTest = 2000)]
    public bool The_message_walk_never_throws_and_stays_within_the_datagram(byte[] datagram) => WalkHolds(datagram);

    [Property(MaxTest = 2000)]
    public Property The_message_walk_holds_on_valid_datagrams_with_random_damage() => Prop.ForAll(Damaged(), WalkHolds);

    [Property(MaxTest = 2000)]
    public bool The_attribute_walk_never_throws_and_stays_within_its_bytes(byte[] attributes)
    {
        var walk = new NetlinkAttributeEnumerator(attributes);
        int seen = 0;
        while (walk.MoveNext())
        {
            seen += NetlinkC.NLA_HDRLEN + walk.Current.Payload.Length;
            if (seen > attributes.Length || walk.Current.Type != (walk.Current.RawType & 0x3FFF))
            {
                return false;
            }

            NetlinkAttributeEnumerator.TryFind(walk.Current.Payload, 1, out _);
        }

        return true;
    }

    [Property(MaxTest = 2000)]
    public bool The_nlctrl_readers_never_throw(byte[] attributes, uint seq)
    {
        GenericNetlinkResolver.ParseFamily(attributes);
        byte[] datagram = Message(NetlinkC.GENL_ID_CTRL, seq, [NetlinkC.CTRL_CMD_NEWFAMILY, 2, 0, 0, .. attributes]);
        bool answered = GenericNetlinkResolver.TryParseReply(datagram, seq, out var family, out int error);
        return answered && (family is not null) == (error == 0);
    }

    [Property(MaxTest = 2000)]
    public Property The_jool_readers_never_throw_on_a_jool_message_with_random_damage() => Prop.ForAll(Damaged(), datagram =>
    {
        foreach (var message in new NetlinkMessageEnumerator(datagram))
        {
            var inspected = KernelMessage.Inspect(message, "t1"u8);
            _ = inspected.InstanceName.Length + (inspected.ErrorCode ?? 0) + inspected.ErrorMessage.Length;
            _ = JoolReply.From(message);
        }

        return true;
    });

    [Property(MaxTest = 2000)]
    public bool The_jool_readers_never_throw_on_random_payloads(byte[] payload)
    {
        foreach (ushort type in new ushort[] { Family, NetlinkC.NLMSG_ERROR })
        {
            foreach (var message in new NetlinkMessageEnumerator(Message(type, 0, payload)))
            {
                var inspected = KernelMessage.Inspect(message, "t1"u8);
                _ = inspected.Container.Length + inspected.Attributes.Length + inspected.InstanceName.Length + (inspected.ErrorCode ?? 0);
                _ = JoolReply.From(message);
            }
        }

        return true;
    }

    /// <summary>What holds for any datagram: whole messages of at least 16 bytes inside it, in order, then the rest malformed or nothing.</summary>
    private static bool WalkHolds(byte[] datagram)
    {
        var walk = new NetlinkMessageEnumerator(datagram);
        int position = 0;
        int count = 0;
        while (walk.MoveNext())
        {
            var message = walk.Current;
            if (message.Bytes.Length < NetlinkC.NLMSG_HDRLEN || position + message.Bytes.Length > datagram.Length || ++count > datagram.Length / NetlinkC.NLMSG_HDRLEN)
            {
                return false;
            }

            position = Math.Min(datagram.Length, position + NetlinkC.NLMSG_ALIGN(message.Bytes.Length));
            if (walk.Remaining != datagram.Length - position)
            {
                return false;
            }

            _ = message.ErrorCode;
            foreach (var attribute in new NetlinkAttributeEnumerator(message.Payload))
            {
                _ = attribute.Payload.Length;
            }
        }

        return walk.Malformed == (position < datagram.Length);
    }

    /// <summary>Valid datagrams of Jool-shaped messages, with one byte changed and a few cut off the end.</summary>
    private static Arbitrary<byte[]> Damaged() => Arb.From(
        from count in Gen.Choose(1, 3)
        from position in Gen.Choose(0, 1000)
        from value in Gen.Choose(0, 255)
        from cut in Gen.Choose(0, 7)
        select Damage(Datagram([.. Enumerable.Range(0, count).Select(i => TestSessions.Container(1 + (i % 2), tag: i))]), position, value, cut));

    private static byte[] Damage(byte[] datagram, int position, int value, int cut)
    {
        datagram[position % datagram.Length] = (byte)value;
        return datagram.AsSpan(0, Math.Max(0, datagram.Length - cut)).ToArray();
    }

    /// <summary>Jool messages, each with one of <paramref name="containers"/> as its first attribute, back to back.</summary>
    private static byte[] Datagram(params byte[][] containers)
    {
        var datagram = new List<byte>();
        foreach (byte[] container in containers)
        {
            var buffer = new byte[JoolRequest.MaxAddSize];
            int length = JoolRequest.WriteAdd(buffer, Family, 0, 0, "t1"u8, container);

            // nlmsg_len counts the attribute without its padding, as the kernel writes an odd-length one.
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)(length - (NetlinkC.NLA_ALIGN(container.Length) - container.Length)));
            datagram.AddRange(buffer.AsSpan(0, length));
        }

        return [.. datagram];
    }

    private static int[] MessageEnds(byte[] datagram)
    {
        var ends = new List<int>();
        int position = 0;
        while (position < datagram.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(position));
            ends.Add(position + length);
            position += NetlinkC.NLMSG_ALIGN(length);
        }

        return [.. ends];
    }

    private static byte[] Message(ushort type, uint seq, ReadOnlySpan<byte> payload)
    {
        var buffer = new byte[NetlinkC.NLMSG_HDRLEN + payload.Length + 4];
        var writer = new NetlinkMessageWriter(buffer, type, 0, seq, 0);
        writer.WriteBytes(payload);
        return writer.Finish().ToArray();
    }
}
