using System.Buffers.Binary;
using System.Net;
using Joold.Sockets;

namespace Joold.Netlink;

/// <summary>
/// Ends a blocking receive on a netlink socket, which shutdown(2) does not interrupt: the socket sends itself an
/// NLMSG_NOOP, which its receive thread then drops. If the socket's queue is full the send fails, but then a receive
/// does not block either.
/// </summary>
internal sealed class SelfInterrupt(NetlinkSocket socket) : IReceiveInterrupt
{
    private const ushort NoOp = 1; // NLMSG_NOOP

    private readonly byte[] _message = Message(socket.PortId);
    private readonly SocketAddress _self = NetlinkAddress.Create(socket.PortId);

    public void Interrupt() => _ = socket.SendTo(_message, _self);

    public bool IsInterrupt(ReadOnlySpan<byte> datagram, SocketAddress? sender) =>
        sender is not null && NetlinkAddress.PortIdOf(sender) == socket.PortId && datagram.SequenceEqual(_message);

    private static byte[] Message(uint portId)
    {
        var message = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(message, 16);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), NoOp);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), portId);
        return message;
    }
}
