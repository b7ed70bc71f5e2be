using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Joold.Netlink;
using Joold.Netlink.Interop;
using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// Builds the messages the Jool module and nlctrl send (spec 1.6 A, D, E and section 8), byte for byte: the
/// netlink framing with Joold.Netlink's writer, the Jool parts from <see cref="JoolDefinitions"/>.
/// </summary>
public static class KernelMessages
{
    /// <summary>nlmsghdr + genlmsghdr + joolnlhdr: where a Jool message's attributes start.</summary>
    public const int HeaderSize = NLMSG_HDRLEN + GENL_HDRLEN + JOOLNL_HDRLEN;

    /// <summary>genl_ctrl's own <c>.version</c> (net/netlink/genetlink.c), the genl version of nlctrl's answers.</summary>
    private const byte ControllerVersion = 2;

    /// <summary>
    /// The whole reply Jool allocates, genlmsg_new(GENLMSG_DEFAULT_SIZE): NLMSG_GOODSIZE, 3776 bytes on x86-64 with
    /// 4 KiB pages (include/linux/netlink.h, include/net/genetlink.h).
    /// </summary>
    private const int JoolReplyRoom = 3776;

    /// <summary>ctrl_fill_mcgrps nests each group under its index + 1; the family has one group.</summary>
    private const ushort FirstGroupNest = 1;

    /// <summary>A session multicast: nlmsghdr (flags 0, seq 0, pid 0), genl (cmd 0, version 2), Jool header, container.</summary>
    public static byte[] Multicast(ushort family, ReadOnlySpan<byte> nameBuffer, ReadOnlySpan<byte> container, MulticastShape? shape = null)
    {
        shape ??= MulticastShape.Kernel;
        var buffer = new byte[HeaderSize + NLA_HDRLEN + NLA_ALIGN(container.Length)];
        var writer = new NetlinkMessageWriter(buffer, family, 0, shape.Sequence, 0);
        writer.WriteGenericHeader(shape.GenlCommand, shape.GenlVersion);
        WriteJoolHeader(writer.Reserve(JOOLNL_HDRLEN), shape, nameBuffer);
        if (shape.IncludeContainer)
        {
            writer.WriteAttribute(shape.ContainerType, container);
        }

        return writer.Finish().ToArray();
    }

    /// <summary>
    /// An error reply (1.6 D): the request's Jool header with the ERROR flag, JNLAERR_CODE (u16, positive errno
    /// capped at 65535) and JNLAERR_MSG (NUL-terminated; cut to 128 characters when it does not fit the reply).
    /// </summary>
    public static byte[] ErrorReply(ushort family, uint seq, uint portId, ReadOnlySpan<byte> requestJoolHeader, int errno, string message)
    {
        int fixedPart = HeaderSize + NLA_ALIGN(NLA_HDRLEN + sizeof(ushort));
        if (fixedPart + NLA_ALIGN(NLA_HDRLEN + message.Length + 1) > JoolReplyRoom && message.Length > ERROR_MESSAGE_CUT)
        {
            message = message[..ERROR_MESSAGE_CUT];
        }

        var buffer = new byte[fixedPart + NLA_ALIGN(NLA_HDRLEN + message.Length + 1)];
        var writer = new NetlinkMessageWriter(buffer, family, 0, seq, portId);
        writer.WriteGenericHeader(KERNEL_MESSAGE_CMD, FAMILY_VERSION);
        Span<byte> header = writer.Reserve(JOOLNL_HDRLEN);
        requestJoolHeader[..JOOLNL_HDRLEN].CopyTo(header);
        header[JOOLNLHDR_FLAGS_OFFSET] |= JOOLNLHDR_FLAGS_ERROR;
        writer.WriteAttributeU16(JNLAERR_CODE, (ushort)Math.Min(Math.Abs(errno), ushort.MaxValue));
        writer.WriteAttributeString(JNLAERR_MSG, message);
        return writer.Finish().ToArray();
    }

    /// <summary>A success reply (1.6 E), optionally with INSTANCE_HELLO's JNLAIS_STATUS.</summary>
    public static byte[] Reply(ushort family, uint seq, uint portId, ReadOnlySpan<byte> requestJoolHeader, byte? instanceStatus = null)
    {
        var buffer = new byte[HeaderSize + (instanceStatus is null ? 0 : NLA_ALIGN(NLA_HDRLEN + sizeof(byte)))];
        var writer = new NetlinkMessageWriter(buffer, family, 0, seq, portId);
        writer.WriteGenericHeader(KERNEL_MESSAGE_CMD, FAMILY_VERSION);
        requestJoolHeader[..JOOLNL_HDRLEN].CopyTo(writer.Reserve(JOOLNL_HDRLEN));
        if (instanceStatus is byte status)
        {
            writer.WriteAttributeU8(JNLAIS_STATUS, status);
        }

        return writer.Finish().ToArray();
    }

    /// <summary>
    /// netlink_ack for a failed request: NLMSG_ERROR with the negative errno, then the offending request, whole, as
    /// the kernel appends it unless the socket set NETLINK_CAP_ACK. <paramref name="request"/> is one whole message
    /// (at least an nlmsghdr, as <see cref="NetlinkMessageEnumerator"/> yields them); <paramref name="portId"/> is
    /// the sender's port id, where the kernel sends it.
    /// </summary>
    public static byte[] NetlinkError(ReadOnlySpan<byte> request, uint portId, int negativeErrno)
    {
        if (request.Length < NLMSG_HDRLEN)
        {
            throw new ArgumentException("The offending request must hold at least its nlmsghdr.", nameof(request));
        }

        var offending = MemoryMarshal.Read<nlmsghdr>(request);
        var buffer = new byte[NLMSG_HDRLEN + sizeof(int) + request.Length];
        var writer = new NetlinkMessageWriter(buffer, NLMSG_ERROR, 0, offending.nlmsg_seq, portId);
        BitConverter.TryWriteBytes(writer.Reserve(sizeof(int)), negativeErrno); // nlmsgerr.error, host order
        request.CopyTo(writer.Reserve(request.Length));
        return writer.Finish().ToArray();
    }

    /// <summary>nlctrl's CTRL_CMD_NEWFAMILY answer for a family with one multicast group.</summary>
    public static byte[] NewFamily(uint seq, uint portId, string name, ushort family, string groupName, uint group)
    {
        var buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer, GENL_ID_CTRL, 0, seq, portId);
        writer.WriteGenericHeader(CTRL_CMD_NEWFAMILY, ControllerVersion);
        writer.WriteAttributeString(CTRL_ATTR_FAMILY_NAME, name);
        writer.WriteAttributeU16(CTRL_ATTR_FAMILY_ID, family);
        writer.WriteAttributeU32(CTRL_ATTR_VERSION, FAMILY_VERSION);
        writer.WriteAttributeU32(CTRL_ATTR_HDRSIZE, JOOLNL_HDRLEN);
        writer.WriteAttributeU32(CTRL_ATTR_MAXATTR, JNLAR_MAX);
        int groups = writer.BeginNested(CTRL_ATTR_MCAST_GROUPS);
        int first = writer.BeginNested(FirstGroupNest);
        writer.WriteAttributeU32(CTRL_ATTR_MCAST_GRP_ID, group);
        writer.WriteAttributeString(CTRL_ATTR_MCAST_GRP_NAME, groupName);
        writer.EndNested(first);
        writer.EndNested(groups);
        return writer.Finish().ToArray();
    }

    private static void WriteJoolHeader(Span<byte> header, MulticastShape shape, ReadOnlySpan<byte> nameBuffer)
    {
        header.Clear();
        Encoding.ASCII.GetBytes(shape.Magic.AsSpan(0, Math.Min(JOOLNL_HDR_MAGIC_LEN, shape.Magic.Length)), header[JOOLNLHDR_MAGIC_OFFSET..]);
        BinaryPrimitives.WriteUInt32BigEndian(header[JOOLNLHDR_VERSION_OFFSET..], shape.Version);
        header[JOOLNLHDR_XT_OFFSET] = shape.Translator;
        header[JOOLNLHDR_FLAGS_OFFSET] = shape.Flags;
        nameBuffer[..Math.Min(INAME_MAX_SIZE, nameBuffer.Length)].CopyTo(header[JOOLNLHDR_INAME_OFFSET..]);
    }
}
