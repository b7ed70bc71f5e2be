using System.Buffers.Binary;
using System.Text;
using Joold.Netlink;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>Builds the messages the Jool module sends (spec 1.6 A, D, E and section 8), byte for byte.</summary>
public static class KernelMessages
{
    /// <summary>nlmsghdr + genlmsghdr + joolnlhdr.</summary>
    public const int HeaderSize = 48;

    /// <summary>A session multicast: nlmsghdr (flags 0, seq 0, pid 0), genl (cmd 0, version 2), Jool header, container.</summary>
    public static byte[] Multicast(ushort family, ReadOnlySpan<byte> nameBuffer, ReadOnlySpan<byte> container, MulticastShape? shape = null)
    {
        shape ??= MulticastShape.Kernel;
        var buffer = new byte[HeaderSize + NLA_HDRLEN + container.Length + 4];
        var writer = new NetlinkMessageWriter(buffer, family, 0, shape.Sequence, 0);
        writer.WriteGenericHeader(shape.GenlCommand, shape.GenlVersion);
        WriteJoolHeader(writer.Reserve(28), shape.Magic, shape.Version, shape.Translator, shape.Flags, nameBuffer);
        if (shape.IncludeContainer)
        {
            writer.WriteAttribute(shape.ContainerType, container);
        }

        return writer.Finish().ToArray();
    }

    /// <summary>
    /// An error reply (1.6 D): the request's Jool header with the ERROR flag, JNLAERR_CODE (u16, positive errno
    /// capped at 65535) and JNLAERR_MSG (NUL-terminated).
    /// </summary>
    public static byte[] ErrorReply(ushort family, uint seq, uint portId, ReadOnlySpan<byte> requestJoolHeader, int errno, string message)
    {
        byte[] text = Encoding.ASCII.GetBytes(message);
        var buffer = new byte[HeaderSize + 8 + 4 + text.Length + 4];
        var writer = new NetlinkMessageWriter(buffer, family, 0, seq, portId);
        writer.WriteGenericHeader(0, 2);
        Span<byte> header = writer.Reserve(28);
        requestJoolHeader[..28].CopyTo(header);
        header[9] |= 0x01;
        writer.WriteAttributeU16(1, (ushort)Math.Min(Math.Abs(errno), ushort.MaxValue));
        writer.WriteAttributeString(2, message);
        return writer.Finish().ToArray();
    }

    /// <summary>A success reply (1.6 E), optionally with attributes (INSTANCE_HELLO's JNLAIS_STATUS).</summary>
    public static byte[] Reply(ushort family, uint seq, uint portId, ReadOnlySpan<byte> requestJoolHeader, byte? instanceStatus = null)
    {
        var buffer = new byte[HeaderSize + 8];
        var writer = new NetlinkMessageWriter(buffer, family, 0, seq, portId);
        writer.WriteGenericHeader(0, 2);
        requestJoolHeader[..28].CopyTo(writer.Reserve(28));
        if (instanceStatus is byte status)
        {
            writer.WriteAttributeU8(1, status);
        }

        return writer.Finish().ToArray();
    }

    /// <summary>A bare NLMSG_ERROR carrying a negative errno and the offending request's header.</summary>
    public static byte[] NetlinkError(uint seq, uint portId, int negativeErrno, ReadOnlySpan<byte> request)
    {
        var buffer = new byte[NLMSG_HDRLEN + NLMSGERR_SIZE];
        var writer = new NetlinkMessageWriter(buffer, NLMSG_ERROR, 0, seq, portId);
        Span<byte> error = writer.Reserve(NLMSGERR_SIZE);
        error.Clear();
        BitConverter.TryWriteBytes(error, negativeErrno);
        request[..Math.Min(request.Length, NLMSG_HDRLEN)].CopyTo(error[4..]);
        return writer.Finish().ToArray();
    }

    /// <summary>nlctrl's CTRL_CMD_NEWFAMILY answer for a family with one multicast group.</summary>
    public static byte[] NewFamily(uint seq, uint portId, string name, ushort family, string groupName, uint group)
    {
        var buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer, GENL_ID_CTRL, 0, seq, portId);
        writer.WriteGenericHeader(CTRL_CMD_NEWFAMILY, 2);
        writer.WriteAttributeString(CTRL_ATTR_FAMILY_NAME, name);
        writer.WriteAttributeU16(CTRL_ATTR_FAMILY_ID, family);
        writer.WriteAttributeU32(CTRL_ATTR_VERSION, 2);
        writer.WriteAttributeU32(CTRL_ATTR_HDRSIZE, 28);
        writer.WriteAttributeU32(CTRL_ATTR_MAXATTR, 13);
        int groups = writer.BeginNested(CTRL_ATTR_MCAST_GROUPS);
        int first = writer.BeginNested(1);
        writer.WriteAttributeU32(CTRL_ATTR_MCAST_GRP_ID, group);
        writer.WriteAttributeString(CTRL_ATTR_MCAST_GRP_NAME, groupName);
        writer.EndNested(first);
        writer.EndNested(groups);
        return writer.Finish().ToArray();
    }

    private static void WriteJoolHeader(Span<byte> header, string magic, uint version, byte xt, byte flags, ReadOnlySpan<byte> nameBuffer)
    {
        header.Clear();
        Encoding.ASCII.GetBytes(magic.AsSpan(0, Math.Min(4, magic.Length)), header);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], version);
        header[8] = xt;
        header[9] = flags;
        nameBuffer[..Math.Min(16, nameBuffer.Length)].CopyTo(header[12..]);
    }
}
