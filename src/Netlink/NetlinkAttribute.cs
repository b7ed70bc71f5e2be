using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>
/// One attribute as <see cref="NetlinkAttributeEnumerator"/> found it: its type, its flags, and its payload
/// (nla_len - 4 bytes, without the padding).
/// </summary>
public readonly ref struct NetlinkAttribute
{
    internal NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload)
    {
        RawType = rawType;
        Payload = payload;
    }

    /// <summary>nla_type as sent, flag bits included.</summary>
    public ushort RawType { get; }

    /// <summary>nla_type without NLA_F_NESTED / NLA_F_NET_BYTEORDER.</summary>
    public ushort Type => (ushort)(RawType & NLA_TYPE_MASK);

    /// <summary>The bytes after the 4-byte header, exactly nla_len - 4 of them.</summary>
    public ReadOnlySpan<byte> Payload { get; }
}
