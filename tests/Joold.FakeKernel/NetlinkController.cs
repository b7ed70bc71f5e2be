using System.Runtime.InteropServices;
using System.Text;
using Joold.Netlink;
using Joold.Netlink.Interop;
using Tmds.Linux;
using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// nlctrl, as far as family resolution goes (net/netlink/genetlink.c): CTRL_CMD_GETFAMILY by name or by id answers
/// the Jool family with its "joold" group. As in the kernel, the request is parsed liberally (unknown attributes
/// and stray trailing bytes are ignored) against ctrl_policy_family; a name wins over an id; a family that does not
/// exist is -ENOENT and a request naming none -EINVAL. Any other command, and dumps, get -EOPNOTSUPP (not emulated).
/// </summary>
internal sealed class NetlinkController(KernelSocket socket, ushort familyId, uint groupId)
{
    /// <summary>GENL_NAMSIZ - 1: the longest family name ctrl_policy_family lets through.</summary>
    private const int FamilyNameMax = 15;

    public void Handle(uint from, in NetlinkMessage message) => socket.SendTo(from, Answer(from, message));

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
        bool numbered = AttributeLookup.TryGetLast(attributes, CTRL_ATTR_FAMILY_ID, out var id);
        bool named = AttributeLookup.TryGetLast(attributes, CTRL_ATTR_FAMILY_NAME, out var name);
        int policyError = numbered ? CheckId(id) : 0;
        if (policyError == 0 && named)
        {
            policyError = CheckName(name);
        }

        if (policyError != 0)
        {
            return KernelMessages.NetlinkError(message.Bytes, from, policyError);
        }

        if (!numbered && !named)
        {
            return KernelMessages.NetlinkError(message.Bytes, from, -LibC.EINVAL);
        }

        bool isJool = named
            ? Encoding.ASCII.GetString(name[..name.IndexOf((byte)0)]) == JOOLNL_FAMILY
            : MemoryMarshal.Read<ushort>(id) == familyId;
        return isJool
            ? KernelMessages.NewFamily(message.Sequence, from, JOOLNL_FAMILY, familyId, JOOLNL_MULTICAST_GRP_NAME, groupId)
            : KernelMessages.NetlinkError(message.Bytes, from, -LibC.ENOENT);
    }

    /// <summary>NLA_U16: at least two bytes (-ERANGE).</summary>
    private static int CheckId(ReadOnlySpan<byte> id) => id.Length < sizeof(ushort) ? -LibC.ERANGE : 0;

    /// <summary>NLA_NUL_STRING of at most 15 characters: a NUL within the first 16 bytes (-EINVAL), no longer (-ERANGE).</summary>
    private static int CheckName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name[..Math.Min(name.Length, FamilyNameMax + 1)].IndexOf((byte)0) < 0)
        {
            return -LibC.EINVAL;
        }

        int length = name[^1] == 0 ? name.Length - 1 : name.Length;
        return length > FamilyNameMax ? -LibC.ERANGE : 0;
    }
}
