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
    private static readonly Lock Gate = new();
    private static readonly HashSet<uint> Taken = [];

    public static async Task<uint> PickAsync(NetlinkSocket socket, CancellationToken cancellationToken)
    {
        var used = await RealGroupsAsync(cancellationToken).ConfigureAwait(false);
        var candidates = Enumerable.Range(2, 31).Select(g => (uint)g).Where(g => !used.Contains(g)).OrderBy(_ => Random.Shared.Next()).ToList();
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

        throw new InvalidOperationException("No free netlink multicast group between 2 and 32 for the fake kernel.");
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
    private static async Task<HashSet<uint>> RealGroupsAsync(CancellationToken cancellationToken)
    {
        var used = new HashSet<uint> { 1, GENL_ID_CTRL };
        using var socket = NetlinkSocket.Open();
        var buffer = new byte[64 * 1024];
        var writer = new NetlinkMessageWriter(buffer, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, 1, socket.PortId);
        writer.WriteGenericHeader(CTRL_CMD_GETFAMILY, 1);
        int length = writer.Finish().Length;
        if (socket.SendTo(buffer.AsSpan(0, length), NetlinkAddress.Create(0)) != SocketError.Success)
        {
            return used;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(5));
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
