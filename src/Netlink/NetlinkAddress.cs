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
    public const int Size = 12;

    /// <summary>Large enough for any address the kernel may report on receive.</summary>
    public const int ReceiveSize = 128;

    public static SocketAddress Create(uint portId, uint groups = 0)
    {
        var address = new SocketAddress(AddressFamily.Unspecified, Size);
        Span<byte> bytes = address.Buffer.Span;
        bytes[..Size].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)Tmds.Linux.LibC.AF_NETLINK);
        BitConverter.TryWriteBytes(bytes[4..], portId);
        BitConverter.TryWriteBytes(bytes[8..], groups);
        return address;
    }

    /// <summary>An address buffer for <see cref="Socket.ReceiveFromAsync(Memory{byte}, SocketFlags, SocketAddress, CancellationToken)"/>.</summary>
    public static SocketAddress CreateForReceive() => new(AddressFamily.Unspecified, ReceiveSize);

    /// <summary>The sender's port id, or null when the address is not a netlink one.</summary>
    public static uint? PortIdOf(SocketAddress address)
    {
        ReadOnlySpan<byte> bytes = address.Buffer.Span;
        return address.Size >= Size && BitConverter.ToUInt16(bytes) == (ushort)Tmds.Linux.LibC.AF_NETLINK
            ? BitConverter.ToUInt32(bytes[4..])
            : null;
    }
}
