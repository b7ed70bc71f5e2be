using System.Net.Sockets;
using Joold.Netlink;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// Picks a "joold" group id for a fake: 1 to 32 (sendto's nl_groups is a 32-bit mask), not used by any real
/// generic netlink family (asked from nlctrl with a dump), not given to another fake of this process, and one that
/// NETLINK_ADD_MEMBERSHIP accepts (verified by joining and leaving it). Chosen at random among those, so fakes in
/// other processes of the same namespace rarely share one; the plugin also ignores senders other than its peer.
/// </summary>
internal static class MulticastGroupPicker
{
    /// <summary>sockaddr_nl.nl_groups is a 32-bit mask: user space can send to groups 1 to 32 only.</summary>
    public const uint HighestSendableGroup = 8 * sizeof(uint);

    /// <summary>Never picked: genetlink reserves group 1 (mc_group_start in net/netlink/genetlink.c).</summary>
    private const uint LowestCandidate = 2;

    /// <summary>Dump parts are sized to a page or two; this holds any of them.</summary>
    private const int DumpBufferSize = 64 * 1024;

    /// <summary>The genl version libnl's genl_ctrl_resolve puts in its requests.</summary>
    private const byte ControllerRequestVersion = 1;

    /// <summary>How long the real nlctrl gets to answer its dump, on the fake's clock.</summary>
    private static readonly TimeSpan DumpTimeout = TimeSpan.FromSeconds(5);

    private static readonly Lock Gate = new();
    private static readonly HashSet<uint> Taken = [];

    public static async Task<uint> PickAsync(NetlinkSocket socket, TimeProvider time, CancellationToken cancellationToken)
    {
        var used = await RealGroupsAsync(time, cancellationToken).ConfigureAwait(false);
        var candidates = Enumerable.Range((int)LowestCandidate, (int)(HighestSendableGroup - LowestCandidate + 1))
            .Select(g => (uint)g).Where(g => !used.Contains(g)).OrderBy(_ => Random.Shared.Next()).ToList();
        foreach (uint group in candidates)
        {
            lock (Gate)
            {
                if (!Taken.Add(group))
                {
                    continue;
                }
            }

            try
            {
                socket.JoinGroup(group);
                socket.LeaveGroup(group);
                return group;
            }
            catch (SocketException)
            {
                Release(group);
            }
        }

        throw new InvalidOperationException($"No free netlink multicast group between {LowestCandidate} and {HighestSendableGroup} for the fake kernel.");
    }

    public static void Reserve(uint group)
    {
        lock (Gate)
        {
            Taken.Add(group);
        }
    }

    public static void Release(uint group)
    {
        lock (Gate)
        {
            Taken.Remove(group);
        }
    }

    /// <summary>Every multicast group id of every generic netlink family the real kernel knows.</summary>
    private static async Task<HashSet<uint>> RealGroupsAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        var used = new HashSet<uint> { GENL_ID_CTRL };
        using var socket = NetlinkSocket.Open();
        var buffer = new byte[DumpBufferSize];
        var writer = new NetlinkMessageWriter(buffer, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, 1, socket.PortId);
        writer.WriteGenericHeader(CTRL_CMD_GETFAMILY, ControllerRequestVersion);
        int length = writer.Finish().Length;
        if (socket.SendTo(buffer.AsSpan(0, length), NetlinkAddress.Create(0)) != SocketError.Success)
        {
            return used;
        }

        using var timeout = new CancellationTokenSource(DumpTimeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var sender = NetlinkAddress.CreateForReceive();
        while (true)
        {
            int received = await socket.ReceiveAsync(buffer, sender, deadline.Token).ConfigureAwait(false);
            foreach (var message in new NetlinkMessageEnumerator(buffer.AsSpan(0, received)))
            {
                if (message.Type is NLMSG_DONE or NLMSG_ERROR)
                {
                    return used;
                }

                if (message.Payload.Length >= GENL_HDRLEN && GenericNetlinkResolver.ParseFamily(message.Payload[GENL_HDRLEN..]) is { } family)
                {
                    used.UnionWith(family.Groups.Values);
                }
            }
        }
    }
}
