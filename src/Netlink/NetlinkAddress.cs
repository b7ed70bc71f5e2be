using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Joold.Netlink;

/// <summary>
/// Builds and reads the <see cref="SocketAddress"/> form of a <c>sockaddr_nl</c>. <see cref="Socket"/> has no
/// netlink address family, so the bytes are written by hand: family 16, pad, port id, group mask.
/// </summary>
public static class NetlinkAddress
{
    /// <summary>The size of a <c>sockaddr_nl</c>.</summary>
    public const int Size = 12;

    /// <summary>Large enough for any address the kernel may report on receive.</summary>
    public const int ReceiveSize = 128;

    /// <summary>The address of netlink port <paramref name="portId"/> (0 is the kernel), with a group mask.</summary>
    public static SocketAddress Create(uint portId, uint groups = 0)
    {
        var address = new SocketAddress(AddressFamily.Unspecified, Size);
        Span<byte> bytes = address.Buffer.Span[..Size];
        bytes.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)Tmds.Linux.LibC.AF_NETLINK);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], portId);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], groups);
        return address;
    }

    /// <summary>An address buffer for <see cref="NetlinkSocket.ReceiveAsync"/> to fill with the sender's address.</summary>
    public static SocketAddress CreateForReceive() => new(AddressFamily.Unspecified, ReceiveSize);

    /// <summary>The sender's port id, or null when the address is not a whole netlink one.</summary>
    public static uint? PortIdOf(SocketAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Size < Size || address.Buffer.Length < Size)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = address.Buffer.Span[..Size];
        return BinaryPrimitives.ReadUInt16LittleEndian(bytes) == (ushort)Tmds.Linux.LibC.AF_NETLINK
            ? BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..])
            : null;
    }
}
