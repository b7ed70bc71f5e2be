using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>One netlink message of a datagram: its header fields and the bytes after the 16-byte header.</summary>
public readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ReadOnlySpan<byte> message)
    {
        Bytes = message;
        Type = BitConverter.ToUInt16(message[4..]);
        Flags = BitConverter.ToUInt16(message[6..]);
        Sequence = BitConverter.ToUInt32(message[8..]);
        PortId = BitConverter.ToUInt32(message[12..]);
    }

    /// <summary>The whole message, header included, exactly nlmsg_len bytes.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public ushort Type { get; }

    public ushort Flags { get; }

    public uint Sequence { get; }

    public uint PortId { get; }

    /// <summary>Everything after the nlmsghdr.</summary>
    public ReadOnlySpan<byte> Payload => Bytes[NLMSG_HDRLEN..];

    /// <summary>For NLMSG_ERROR: the (negative) errno, 0 for an ACK; null when the message is too short to say.</summary>
    public int? ErrorCode => Type == NLMSG_ERROR && Payload.Length >= 4 ? BitConverter.ToInt32(Payload) : null;
}
