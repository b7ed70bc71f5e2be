using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Joold.Netlink;
using Joold.Netlink.Interop;
using Joold.Plugins.JoolNetlink.Interop;
using Joold.Plugins.JoolNetlink.Jool;
using NetlinkC = Joold.Netlink.Interop.Netlink;

namespace Joold.JoolNetlink.Tests;

/// <summary>The C definitions and the length checks of the span readers, without sockets.</summary>
public sealed class FramingTests
{
    [Fact]
    public void The_c_structs_have_the_kernel_sizes()
    {
        Assert.Equal(12, Unsafe.SizeOf<sockaddr_nl>());
        Assert.Equal(NetlinkC.NLMSG_HDRLEN, Unsafe.SizeOf<nlmsghdr>());
        Assert.Equal(NetlinkC.GENL_HDRLEN, Unsafe.SizeOf<genlmsghdr>());
        Assert.Equal(NetlinkC.NLA_HDRLEN, Unsafe.SizeOf<nlattr>());
        Assert.Equal(Jool.JOOLNL_HDRLEN, Unsafe.SizeOf<joolnlhdr>());
    }

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
    public void The_header_check_follows_joold_order_and_compares_only_major_minor()
    {
        var header = new byte[28];
        JoolHeader.Write(header, "x"u8);
        Assert.Equal(JoolHeaderStatus.Valid, JoolHeader.Check(header));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 0x0401FFFF);
        Assert.Equal(JoolHeaderStatus.Valid, JoolHeader.Check(header));
        header[8] = 1;
        Assert.Equal(JoolHeaderStatus.NotNat64, JoolHeader.Check(header));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 0x03010F00);
        Assert.Equal(JoolHeaderStatus.VersionMismatch, JoolHeader.Check(header));
        header[0] = (byte)'J';
        Assert.Equal(JoolHeaderStatus.BadMagic, JoolHeader.Check(header));
    }

    [Fact]
    public void An_empty_instance_name_reads_as_default_and_a_name_without_nul_reads_sixteen_bytes()
    {
        var header = new byte[28];
        Assert.Equal("default"u8.ToArray(), JoolHeader.InstanceName(header).ToArray());
        header.AsSpan(12).Fill((byte)'a');
        Assert.Equal(16, JoolHeader.InstanceName(header).Length);
    }

    [Fact]
    public void An_add_too_large_for_one_attribute_is_refused_without_writing()
    {
        var buffer = new byte[JoolRequest.MaxAddSize];

        Assert.Equal(0, JoolRequest.WriteAdd(buffer, 30, 1, 2, "x"u8, new byte[JoolRequest.MaxContainerPayload + 1]));
        Assert.Equal(JoolRequest.HeaderSize + 4 + JoolRequest.MaxContainerPayload + 1, JoolRequest.WriteAdd(buffer, 30, 1, 2, "x"u8, new byte[JoolRequest.MaxContainerPayload]));
    }
}
