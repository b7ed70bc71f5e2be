using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>One attribute: its type without the flag bits, its flags, and its payload (nla_len - 4 bytes).</summary>
public readonly ref struct NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> payload)
{
    /// <summary>nla_type as sent, flag bits included.</summary>
    public ushort RawType { get; } = rawType;

    /// <summary>nla_type without NLA_F_NESTED / NLA_F_NET_BYTEORDER.</summary>
    public ushort Type => (ushort)(RawType & NLA_TYPE_MASK);

    public ReadOnlySpan<byte> Payload { get; } = payload;
}
