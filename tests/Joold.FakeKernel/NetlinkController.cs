using System.Runtime.InteropServices;
using Joold.Netlink;
using Joold.Netlink.Interop;
using Tmds.Linux;
using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// nlctrl, as far as family resolution goes (ctrl_getfamily in net/netlink/genetlink.c): CTRL_CMD_GETFAMILY by
/// name or by id answers the Jool family with its "joold" group; an unknown family is -ENOENT, a request naming
/// none is -EINVAL, any other command -EOPNOTSUPP.
/// </summary>
internal sealed class NetlinkController(KernelSocket socket, ushort familyId, uint groupId)
{
    public void Handle(uint from, in NetlinkMessage message)
    {
        socket.SendTo(from, Answer(from, message));
    }

    private byte[] Answer(uint from, in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < GENL_HDRLEN)
        {
            return KernelMessages.NetlinkError(message.Bytes, from, -LibC.EINVAL);
        }

        var genl = MemoryMarshal.Read<genlmsghdr>(payload);
        if (genl.cmd != CTRL_CMD_GETFAMILY || (message.Flags & NLM_F_DUMP) == NLM_F_DUMP)
        {
            return KernelMessages.NetlinkError(message.Bytes, from, -LibC.EOPNOTSUPP);
        }

        ReadOnlySpan<byte> attributes = payload[GENL_HDRLEN..];
        bool named = NetlinkAttributeEnumerator.TryFind(attributes, CTRL_ATTR_FAMILY_NAME, out var name);
        bool numbered = NetlinkAttributeEnumerator.TryFind(attributes, CTRL_ATTR_FAMILY_ID, out var id);
        if (!named && !numbered)
        {
            return KernelMessages.NetlinkError(message.Bytes, from, -LibC.EINVAL);
        }

        bool isJool = numbered
            ? id.Length >= sizeof(ushort) && MemoryMarshal.Read<ushort>(id) == familyId
            : GenericNetlinkResolver.ReadString(name) == JOOLNL_FAMILY;
        return isJool
            ? KernelMessages.NewFamily(message.Sequence, from, JOOLNL_FAMILY, familyId, JOOLNL_MULTICAST_GRP_NAME, groupId)
            : KernelMessages.NetlinkError(message.Bytes, from, -LibC.ENOENT);
    }
}
