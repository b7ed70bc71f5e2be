namespace Joold.Netlink.Interop;

/// <summary>
/// The netlink and generic netlink constants Tmds.LibC lacks (<c>linux/netlink.h</c>, <c>linux/genetlink.h</c>),
/// under their C names so they can be checked against the headers.
/// </summary>
public static class Netlink
{
    public const int NETLINK_GENERIC = 16;

    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_DROP_MEMBERSHIP = 2;

    public const ushort NLM_F_REQUEST = 0x0001;
    public const ushort NLM_F_MULTI = 0x0002;
    public const ushort NLM_F_ACK = 0x0004;
    public const ushort NLM_F_ROOT = 0x0100;
    public const ushort NLM_F_MATCH = 0x0200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;

    /// <summary>Message types below this are the netlink core's own.</summary>
    public const ushort NLMSG_MIN_TYPE = 0x10;

    public const int NLMSG_ALIGNTO = 4;
    public const int NLMSG_HDRLEN = 16;
    public const int GENL_HDRLEN = 4;
    public const int NLA_HDRLEN = 4;

    /// <summary>struct nlmsgerr: int error followed by the offending request's nlmsghdr.</summary>
    public const int NLMSGERR_SIZE = 4 + NLMSG_HDRLEN;

    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_F_NET_BYTEORDER = 0x4000;
    public const ushort NLA_TYPE_MASK = unchecked((ushort)~(NLA_F_NESTED | NLA_F_NET_BYTEORDER));

    /// <summary>The generic netlink controller's family id (nlctrl).</summary>
    public const ushort GENL_ID_CTRL = 0x10;

    public const byte CTRL_CMD_NEWFAMILY = 1;
    public const byte CTRL_CMD_GETFAMILY = 3;

    public const ushort CTRL_ATTR_FAMILY_ID = 1;
    public const ushort CTRL_ATTR_FAMILY_NAME = 2;
    public const ushort CTRL_ATTR_VERSION = 3;
    public const ushort CTRL_ATTR_HDRSIZE = 4;
    public const ushort CTRL_ATTR_MAXATTR = 5;
    public const ushort CTRL_ATTR_MCAST_GROUPS = 7;

    public const ushort CTRL_ATTR_MCAST_GRP_NAME = 1;
    public const ushort CTRL_ATTR_MCAST_GRP_ID = 2;

    public static int NLMSG_ALIGN(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);

    public static int NLA_ALIGN(int length) => (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
}
