namespace Joold.FakeKernel;

#pragma warning disable CA1707 // C names, on purpose, so each can be checked against the header it comes from.

/// <summary>
/// The Jool 4.1.15 definitions the fake speaks, written down here from Jool's own headers (paths relative to the
/// Jool source tree) instead of being taken from the plugin, so that a mistake in the plugin's copy shows up as a
/// disagreement with the fake rather than being shared by both. Generic netlink itself comes from Joold.Netlink.
/// </summary>
public static class JoolDefinitions
{
    /// <summary>JOOLNL_FAMILY, <c>src/common/config.h</c>.</summary>
    public const string JOOLNL_FAMILY = "Jool";

    /// <summary>JOOLNL_MULTICAST_GRP_NAME, <c>src/common/config.h</c>.</summary>
    public const string JOOLNL_MULTICAST_GRP_NAME = "joold";

    /// <summary>The genl_family's <c>.version</c>, <c>src/mod/common/nl/nl_handler.c</c>; the genl version of every kernel message.</summary>
    public const byte FAMILY_VERSION = 2;

    /// <summary>The genl command of every message the kernel sends (genlmsg_put with cmd 0, <c>src/mod/common/nl/nl_core.c</c>).</summary>
    public const byte KERNEL_MESSAGE_CMD = 0;

    // enum joolnl_operation, src/common/config.h (counted from JNLOP_INSTANCE_FOREACH = 0).
    public const byte JNLOP_INSTANCE_HELLO = 2;
    public const byte JNLOP_JOOLD_ADD = 27;
    public const byte JNLOP_JOOLD_ADVERTISE = 28;
    public const byte JNLOP_JOOLD_ACK = 29;

    // struct joolnlhdr, src/common/config.h: magic[4], __be32 version, u8 xt, u8 flags, u8 reserved1, u8 reserved2,
    // char iname[INAME_MAX_SIZE]. JOOLNL_HDRLEN is NLMSG_ALIGN of its size, which is already aligned.
    public const int JOOLNL_HDRLEN = 28;
    public const int JOOLNLHDR_MAGIC_OFFSET = 0;
    public const int JOOLNL_HDR_MAGIC_LEN = 4;
    public const int JOOLNLHDR_VERSION_OFFSET = 4;
    public const int JOOLNLHDR_XT_OFFSET = 8;
    public const int JOOLNLHDR_FLAGS_OFFSET = 9;
    public const int JOOLNLHDR_INAME_OFFSET = 12;

    /// <summary>INAME_MAX_SIZE, <c>src/common/types.h</c>: 15 characters and the NUL.</summary>
    public const int INAME_MAX_SIZE = 16;

    /// <summary>INAME_DEFAULT, <c>src/common/types.h</c>: what an empty iname means.</summary>
    public const string INAME_DEFAULT = "default";

    /// <summary>JOOLNLHDR_FLAGS_ERROR, <c>src/common/config.h</c>: the message is an error report.</summary>
    public const byte JOOLNLHDR_FLAGS_ERROR = 1 << 0;

    /// <summary>JOOL_VERSION 4.1.15.0 as (major &lt;&lt; 24 | minor &lt;&lt; 16 | rev &lt;&lt; 8 | dev), <c>src/common/xlat.h</c>.</summary>
    public const uint JOOL_VERSION = 0x04010F00;

    /// <summary>The part of the version both sides compare (major.minor), <c>src/mod/common/nl/nl_common.c</c>.</summary>
    public const uint JOOL_VERSION_COMPARED = 0xFFFF0000;

    // enum xlator_type, src/common/types.h.
    public const byte XT_SIIT = 1 << 0;
    public const byte XT_NAT64 = 1 << 1;

    // enum joolnl_attr_root, src/common/config.h.
    public const ushort JNLAR_ADDR_QUERY = 1;
    public const ushort JNLAR_GLOBALS = 2;
    public const ushort JNLAR_BL4_ENTRIES = 3;
    public const ushort JNLAR_EAMT_ENTRIES = 4;
    public const ushort JNLAR_POOL4_ENTRIES = 5;
    public const ushort JNLAR_BIB_ENTRIES = 6;
    public const ushort JNLAR_SESSION_ENTRIES = 7;
    public const ushort JNLAR_OFFSET = 8;
    public const ushort JNLAR_OFFSET_U8 = 9;
    public const ushort JNLAR_OPERAND = 10;
    public const ushort JNLAR_PROTO = 11;
    public const ushort JNLAR_ATOMIC_INIT = 12;
    public const ushort JNLAR_ATOMIC_END = 13;
    public const ushort JNLAR_MAX = JNLAR_ATOMIC_END;

    /// <summary>enum joolnl_attr_list, <c>src/common/config.h</c>: one session inside the container.</summary>
    public const ushort JNLAL_ENTRY = 1;

    // enum joolnl_attr_error, src/common/config.h.
    public const ushort JNLAERR_CODE = 1;
    public const ushort JNLAERR_MSG = 2;

    /// <summary>enum joolnl_attr_instance_status, <c>src/common/config.h</c>: INSTANCE_HELLO's answer.</summary>
    public const ushort JNLAIS_STATUS = 1;

    // enum instance_hello_status, src/common/config.h.
    public const byte IHS_ALIVE = 0;
    public const byte IHS_DEAD = 1;

    /// <summary>Each log_err is cut to this many characters before it joins the reply (<c>src/mod/common/error_pool.c</c>).</summary>
    public const int ERROR_MESSAGE_PIECE_MAX = 255;

    /// <summary>An error text that does not fit its reply is cut to this many characters (<c>src/mod/common/nl/nl_core.c</c>).</summary>
    public const int ERROR_MESSAGE_CUT = 128;

    /// <summary>SERIALIZED_SESSION_SIZE, <c>src/mod/common/nl/attribute.c</c>: 16 + 2 * 4 + 4 + 4 * 2.</summary>
    public const int SERIALIZED_SESSION_SIZE = 36;

    /// <summary>Where the packed proto/state/timer u16 sits in a serialized session (<c>src/mod/common/nl/attribute.c</c>).</summary>
    public const int SERIALIZED_SESSION_PACKED_OFFSET = 34;

    // The packed u16 of a serialized session (jnla_get_session_joold, src/mod/common/nl/attribute.c):
    // (proto << 5) | (state << 2) | timer_type.
    public const int SESSION_PROTO_SHIFT = 5;
    public const int SESSION_PROTO_MASK = 3;
    public const int SESSION_TIMER_MASK = 3;

    /// <summary>enum l4_protocol's L4PROTO_OTHER, <c>src/common/types.h</c>: refused on receive.</summary>
    public const int L4PROTO_OTHER = 3;

    /// <summary>One past the last session timer type (EST, TRANS, SYN4), <c>src/mod/common/db/bib/entry.h</c>.</summary>
    public const int SESSION_TIMER_COUNT = 3;

    // Session-sync defaults, src/common/constants.h (ss-enabled's DEFAULT_JOOLD_ENABLED is false).
    public const int DEFAULT_JOOLD_CAPACITY = 512;

    /// <summary>floor((1500 - 40 - 8 - 4) / 40): a typical MTU, the IP and UDP headers, the container header, 40 per entry.</summary>
    public const int DEFAULT_JOOLD_MAX_SESSIONS_PER_PKT = 36;

    /// <summary>DEFAULT_JOOLD_DEADLINE is in seconds; the global holds 1000 times it, in milliseconds.</summary>
    public const int DEFAULT_JOOLD_DEADLINE = 2;

    /// <summary>The period of the timer that calls joold_clean, <c>src/mod/common/timer.c</c>.</summary>
    public static readonly TimeSpan CleanTimerPeriod = TimeSpan.FromSeconds(2);

    /// <summary>JOOLNL_HDR_MAGIC, <c>src/common/config.h</c>; on the wire without a NUL.</summary>
    public const string JOOLNL_HDR_MAGIC = "jool";

    /// <summary><see cref="JOOLNL_HDR_MAGIC"/> as the bytes a header starts with.</summary>
    public static ReadOnlySpan<byte> MagicBytes => MagicAscii;

    private static readonly byte[] MagicAscii = System.Text.Encoding.ASCII.GetBytes(JOOLNL_HDR_MAGIC);
}
