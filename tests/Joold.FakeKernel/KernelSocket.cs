using System.Net;
using System.Net.Sockets;
using Joold.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// The fake's NETLINK_GENERIC socket as the kernel side uses it: unicasts to one port id and multicasts to the joold
/// group. Handlers only post datagrams; <see cref="Flush"/> sends them once the kernel has published the state that
/// caused them, so whoever receives a datagram from the fake already finds its cause in the snapshot. Used under
/// the kernel's lock only.
/// </summary>
internal sealed class KernelSocket(NetlinkSocket socket, uint group) : IDisposable
{
    // Addressed to the group *and* to the fake itself: sendto also unicasts the datagram to nl_pid, and with
    // nl_pid 0 that would hand every multicast (malformed ones included) to the real kernel's genl as a request.
    private readonly SocketAddress _group = NetlinkAddress.Create(socket.PortId, 1u << (int)(group - 1));
    private readonly List<(SocketAddress To, byte[] Datagram)> _outbox = [];

    public NetlinkSocket Socket { get; } = socket;

    /// <summary>Latency stamps of the session multicasts (and, noted by the receive loop, of JOOLD_ADDs).</summary>
    public LatencyStamps Stamps { get; } = new();

    public uint PortId => Socket.PortId;

    /// <summary>Multicasts posted so far (counted when posted, so the snapshot that precedes the send has them).</summary>
    public long MulticastsSent { get; private set; }

    /// <summary>The <see cref="SocketError"/> of the last failed send, 0 when none failed.</summary>
    public long LastSendError { get; private set; }

    /// <summary>Posts any bytes for the group, as they are.</summary>
    public void Multicast(byte[] datagram)
    {
        MulticastsSent++;
        _outbox.Add((_group, datagram));
    }

    /// <summary>Posts any bytes for one port id, as they are.</summary>
    public void SendTo(uint portId, byte[] datagram) => _outbox.Add((NetlinkAddress.Create(portId), datagram));

    /// <summary>Sends what was posted, in order; returns how many sends failed.</summary>
    public int Flush()
    {
        int failed = 0;
        foreach (var (to, datagram) in _outbox)
        {
            if (Stamps.On && ReferenceEquals(to, _group))
            {
                Stamps.Note(datagram, received: false, System.Diagnostics.Stopwatch.GetTimestamp());
            }

            var result = Socket.SendTo(datagram, to);
            if (result != SocketError.Success)
            {
                LastSendError = (long)result;
                failed++;
            }
        }

        _outbox.Clear();
        return failed;
    }

    public void Dispose() => Socket.Dispose();
}
