using System.Buffers.Binary;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>
/// One netlink message as <see cref="NetlinkMessageEnumerator"/> found it: its header fields and its bytes. It only
/// exists once nlmsg_len has been checked, so <see cref="Bytes"/> always holds at least the 16-byte header.
/// </summary>
public readonly ref struct NetlinkMessage
{
    /// <summary>Reads the header of <paramref name="message"/>, which the caller has checked to be at least 16 bytes.</summary>
    internal NetlinkMessage(ReadOnlySpan<byte> message)
    {
        Bytes = message;
        Type = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
        Flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        Sequence = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
        PortId = BinaryPrimitives.ReadUInt32LittleEndian(message[12..]);
    }

    /// <summary>The whole message, header included, exactly nlmsg_len bytes (without the padding that may follow).</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    /// <summary>nlmsg_type: a netlink core type (NLMSG_ERROR, ...) or a generic netlink family id.</summary>
    public ushort Type { get; }

    /// <summary>nlmsg_flags.</summary>
    public ushort Flags { get; }

    /// <summary>nlmsg_seq: 0 for the kernel's multicasts, the request's for an answer.</summary>
    public uint Sequence { get; }

    /// <summary>nlmsg_pid: the sender's port id as written by the sender.</summary>
    public uint PortId { get; }

    /// <summary>Everything after the nlmsghdr (empty for a bare header).</summary>
    public ReadOnlySpan<byte> Payload => Bytes.Length > NLMSG_HDRLEN ? Bytes[NLMSG_HDRLEN..] : default;

    /// <summary>For NLMSG_ERROR: the (negative) errno, 0 for an ACK; null when the message is too short to say.</summary>
    public int? ErrorCode => Type == NLMSG_ERROR && Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(Payload) : null;
}
