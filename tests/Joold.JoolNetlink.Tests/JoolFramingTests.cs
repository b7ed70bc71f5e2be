using System.Buffers.Binary;
using Joold.Plugins.JoolNetlink.Jool;

namespace Joold.JoolNetlink.Tests;

/// <summary>The Jool header and request writers and readers, without sockets.</summary>
public sealed class JoolFramingTests
{
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
