using Joold.Netlink;
using static Joold.Netlink.Interop.Netlink;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Jool;

/// <summary>
/// Builds the requests joold sends (spec 1.6 B and C, section 8): NLM_F_REQUEST only, genl version 1, reserved 0,
/// the Jool header with xt NAT64 and flags 0.
/// </summary>
internal static class JoolRequest
{
    /// <summary>nlmsghdr + genlmsghdr + joolnlhdr: a request without attributes.</summary>
    public const int HeaderSize = JOOL_ATTRS_OFFSET;

    /// <summary>The largest container payload one attribute can carry (nla_len is 16 bits).</summary>
    public const int MaxContainerPayload = ushort.MaxValue - NLA_HDRLEN;

    /// <summary>
    /// The most entry bytes a JOOLD_ADD of coalesced peer batches carries: 400 entries, a 16,052-byte message, far
    /// below 64 KiB and the netlink send limit (SO_SNDBUF less 32 bytes; 208 KiB by default).
    /// </summary>
    public const int MaxCoalescedPayload = 400 * 40;

    /// <summary>A buffer that fits any JOOLD_ADD.</summary>
    public const int MaxAddSize = HeaderSize + NLA_HDRLEN + MaxContainerPayload + 3;

    /// <summary>A request with no attributes (ACK, ADVERTISE, INSTANCE_HELLO): always 48 bytes.</summary>
    public static int Write(Span<byte> buffer, ushort family, byte cmd, uint seq, uint portId, ReadOnlySpan<byte> instanceName)
    {
        var writer = Begin(buffer, family, cmd, seq, portId, instanceName);
        return writer.Finish().Length;
    }

    /// <summary>
    /// JOOLD_ADD: the batch as the payload of one JNLAR_SESSION_ENTRIES | NLA_F_NESTED attribute, zero-padded to 4.
    /// Returns 0 when the batch is too large for one attribute.
    /// </summary>
    public static int WriteAdd(Span<byte> buffer, ushort family, uint seq, uint portId, ReadOnlySpan<byte> instanceName, ReadOnlySpan<byte> entries)
    {
        if (entries.Length > MaxContainerPayload)
        {
            return 0;
        }

        var writer = Begin(buffer, family, JNLOP_JOOLD_ADD, seq, portId, instanceName);
        writer.WriteAttribute(JNLAR_SESSION_ENTRIES | NLA_F_NESTED, entries);
        return writer.Finish().Length;
    }

    private static NetlinkMessageWriter Begin(Span<byte> buffer, ushort family, byte cmd, uint seq, uint portId, ReadOnlySpan<byte> instanceName)
    {
        var writer = new NetlinkMessageWriter(buffer, family, NLM_F_REQUEST, seq, portId);
        writer.WriteGenericHeader(cmd, JOOLNL_REQUEST_GENL_VERSION);
        JoolHeader.Write(writer.Reserve(JOOLNL_HDRLEN), instanceName);
        return writer;
    }
}
