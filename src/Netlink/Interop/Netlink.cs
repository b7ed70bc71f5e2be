namespace Joold.Netlink.Interop;

/// <summary>
/// The netlink and generic netlink constants and macros Tmds.LibC lacks, under their C names so each can be checked
/// against its header: <c>&lt;linux/netlink.h&gt;</c> and <c>&lt;linux/genetlink.h&gt;</c>.
/// </summary>
public static class Netlink
{
    /// <summary>The generic netlink protocol, for <c>socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC)</c>.</summary>
    public const int NETLINK_GENERIC = 16;

    /// <summary>The <c>SOL_NETLINK</c> option that joins a multicast group by id.</summary>
    public const int NETLINK_ADD_MEMBERSHIP = 1;

    /// <summary>The <c>SOL_NETLINK</c> option that leaves a multicast group by id.</summary>
    public const int NETLINK_DROP_MEMBERSHIP = 2;

    /// <summary>The <c>SOL_NETLINK</c> option that reads the groups a socket is in, as a bitmap of u32 words (bit g-1 for group g).</summary>
    public const int NETLINK_LIST_MEMBERSHIPS = 9;

    /// <summary>nlmsg_flags: the message is a request.</summary>
    public const ushort NLM_F_REQUEST = 0x0001;

    /// <summary>nlmsg_flags: one part of a multipart answer, which NLMSG_DONE ends.</summary>
    public const ushort NLM_F_MULTI = 0x0002;

    /// <summary>nlmsg_flags: the sender asks for an NLMSG_ERROR with error 0 on success.</summary>
    public const ushort NLM_F_ACK = 0x0004;

    /// <summary>nlmsg_flags of a GET request: the whole table.</summary>
    public const ushort NLM_F_ROOT = 0x0100;

    /// <summary>nlmsg_flags of a GET request: every entry that matches.</summary>
    public const ushort NLM_F_MATCH = 0x0200;

    /// <summary>nlmsg_flags of a GET request: a dump (<c>NLM_F_ROOT | NLM_F_MATCH</c>).</summary>
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    /// <summary>nlmsg_type: nothing; to be ignored.</summary>
    public const ushort NLMSG_NOOP = 1;

    /// <summary>nlmsg_type: an error, or with error 0 an acknowledgement (<see cref="nlmsgerr"/>).</summary>
    public const ushort NLMSG_ERROR = 2;

    /// <summary>nlmsg_type: the end of a multipart answer.</summary>
    public const ushort NLMSG_DONE = 3;

    /// <summary>nlmsg_type: data were lost.</summary>
    public const ushort NLMSG_OVERRUN = 4;

    /// <summary>Message types below this are the netlink core's own.</summary>
    public const ushort NLMSG_MIN_TYPE = 0x10;

    /// <summary>Messages and attributes are padded to multiples of this.</summary>
    public const int NLMSG_ALIGNTO = 4;

    /// <summary>The aligned size of <see cref="nlmsghdr"/>.</summary>
    public const int NLMSG_HDRLEN = 16;

    /// <summary>The aligned size of <see cref="genlmsghdr"/>.</summary>
    public const int GENL_HDRLEN = 4;

    /// <summary>The aligned size of <see cref="nlattr"/>.</summary>
    public const int NLA_HDRLEN = 4;

    /// <summary>The size of <see cref="nlmsgerr"/>: the error, then the offending request's nlmsghdr.</summary>
    public const int NLMSGERR_SIZE = 4 + NLMSG_HDRLEN;

    /// <summary>nla_type flag: the payload is itself a run of attributes.</summary>
    public const ushort NLA_F_NESTED = 0x8000;

    /// <summary>nla_type flag: the payload is in network byte order.</summary>
    public const ushort NLA_F_NET_BYTEORDER = 0x4000;

    /// <summary>The bits of nla_type that are the type, without the two flags.</summary>
    public const ushort NLA_TYPE_MASK = unchecked((ushort)~(NLA_F_NESTED | NLA_F_NET_BYTEORDER));

    /// <summary>The generic netlink controller's family id (nlctrl).</summary>
    public const ushort GENL_ID_CTRL = 0x10;

    /// <summary>nlctrl command: the answer that describes a family.</summary>
    public const byte CTRL_CMD_NEWFAMILY = 1;

    /// <summary>nlctrl command: ask for a family by name or id.</summary>
    public const byte CTRL_CMD_GETFAMILY = 3;

    /// <summary>nlctrl attribute: the family id (u16).</summary>
    public const ushort CTRL_ATTR_FAMILY_ID = 1;

    /// <summary>nlctrl attribute: the family name (NUL-terminated string).</summary>
    public const ushort CTRL_ATTR_FAMILY_NAME = 2;

    /// <summary>nlctrl attribute: the family version (u32).</summary>
    public const ushort CTRL_ATTR_VERSION = 3;

    /// <summary>nlctrl attribute: the family's user header size (u32).</summary>
    public const ushort CTRL_ATTR_HDRSIZE = 4;

    /// <summary>nlctrl attribute: the family's highest attribute type (u32).</summary>
    public const ushort CTRL_ATTR_MAXATTR = 5;

    /// <summary>nlctrl attribute: the family's multicast groups, one nested attribute each.</summary>
    public const ushort CTRL_ATTR_MCAST_GROUPS = 7;

    /// <summary>Inside one multicast group: its name (NUL-terminated string).</summary>
    public const ushort CTRL_ATTR_MCAST_GRP_NAME = 1;

    /// <summary>Inside one multicast group: its id (u32).</summary>
    public const ushort CTRL_ATTR_MCAST_GRP_ID = 2;

    /// <summary><c>NLMSG_ALIGN(len)</c>: <paramref name="length"/> rounded up to a multiple of 4.</summary>
    public static int NLMSG_ALIGN(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);

    /// <summary><c>NLA_ALIGN(len)</c>: <paramref name="length"/> rounded up to a multiple of 4.</summary>
    public static int NLA_ALIGN(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}
