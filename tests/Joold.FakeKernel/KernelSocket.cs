using System.Net;
using System.Net.Sockets;
using Joold.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// The fake's NETLINK_GENERIC socket as the kernel side uses it: unicasts to one port id, multicasts to the joold
/// group, and counts what it sent. Sends run under the kernel's lock, so the counters are plain fields.
/// </summary>
internal sealed class KernelSocket(NetlinkSocket socket, uint group) : IDisposable
{
    // Addressed to the group *and* to the fake itself: sendto also unicasts the datagram to nl_pid, and with
    // nl_pid 0 that would hand every multicast (malformed ones included) to the real kernel's genl as a request.
    private readonly SocketAddress _group = NetlinkAddress.Create(socket.PortId, 1u << (int)(group - 1));

    public NetlinkSocket Socket { get; } = socket;

    public uint PortId => Socket.PortId;

    public long MulticastsSent { get; private set; }

    /// <summary>The <see cref="SocketError"/> of the last failed send, 0 when none failed.</summary>
    public long LastSendError { get; private set; }

    /// <summary>Sends any bytes to the group, as they are.</summary>
    public bool Multicast(ReadOnlySpan<byte> datagram)
    {
        MulticastsSent++;
        return Send(datagram, _group);
    }

    /// <summary>Sends any bytes to one port id, as they are.</summary>
    public bool SendTo(uint portId, ReadOnlySpan<byte> datagram) => Send(datagram, NetlinkAddress.Create(portId));

    public void Dispose() => Socket.Dispose();

    private bool Send(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        var result = Socket.SendTo(datagram, destination);
        if (result != SocketError.Success)
        {
            LastSendError = (long)result;
            return false;
        }

        return true;
    }
}
