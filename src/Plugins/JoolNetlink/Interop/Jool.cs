using static Joold.Netlink.Interop.Netlink;

namespace Joold.Plugins.JoolNetlink.Interop;

/// <summary>Jool 4.1.15's netlink constants (<c>src/common/config.h</c>, <c>types.h</c>, <c>xlat.h</c>), C names.</summary>
internal static class Jool
{
    public const string JOOLNL_FAMILY = "Jool";
    public const string JOOLNL_MULTICAST_GRP_NAME = "joold";

    /// <summary>4.1.15.0; only the top 16 bits (major.minor) must match.</summary>
    public const uint JOOL_VERSION = 0x04010F00;
    public const uint JOOL_VERSION_MAJOR_MINOR_MASK = 0xFFFF0000;

    public const int JOOLNL_HDRLEN = 28;
    public const int INAME_MAX_SIZE = 16;
    public const string INAME_DEFAULT = "default";

    /// <summary>Where attributes start in a Jool message: nlmsghdr + genlmsghdr + joolnlhdr.</summary>
    public const int JOOL_ATTRS_OFFSET = NLMSG_HDRLEN + GENL_HDRLEN + JOOLNL_HDRLEN;

    /// <summary>genl version userspace writes (libnl's genlmsg_put argument); the kernel writes 2.</summary>
    public const byte JOOLNL_REQUEST_GENL_VERSION = 1;
    public const byte JOOLNL_FAMILY_VERSION = 2;

    public const byte XT_SIIT = 1;
    public const byte XT_NAT64 = 2;

    public const byte JOOLNLHDR_FLAGS_ERROR = 0x01;
    public const byte JOOLNLHDR_FLAGS_FORCE = 0x02;
    public const byte JOOLNLHDR_FLAGS_QUICK = 0x04;
    public const byte JOOLNLHDR_FLAGS_M = 0x08;

    public const byte JNLOP_INSTANCE_HELLO = 2;
    public const byte JNLOP_JOOLD_ADD = 27;
    public const byte JNLOP_JOOLD_ADVERTISE = 28;
    public const byte JNLOP_JOOLD_ACK = 29;

    public const ushort JNLAR_SESSION_ENTRIES = 7;
    public const ushort JNLAL_ENTRY = 1;

    public const ushort JNLAERR_CODE = 1;
    public const ushort JNLAERR_MSG = 2;

    public const ushort JNLAIS_STATUS = 1;
    public const byte IHS_ALIVE = 0;
    public const byte IHS_DEAD = 1;

    public static ReadOnlySpan<byte> Magic => "jool"u8;
}
