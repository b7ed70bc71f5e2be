using Joold.Netlink;
using Tmds.Linux;
using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// Jool's family-wide attribute policy (<c>src/mod/common/nl/nl_handler.c</c>, Linux 5.2+) and the strict
/// validation genetlink applies with it before Jool's handler runs (<c>__nla_validate_parse</c> and
/// <c>validate_nla</c> with NL_VALIDATE_STRICT): what a malformed request gets instead of reaching Jool.
/// </summary>
internal static class JoolAttributePolicy
{
    private enum Kind
    {
        Binary,
        Nested,
        U8,
    }

    /// <summary>0 when the attributes pass, else the negative errno of the bare NLMSG_ERROR.</summary>
    public static int Validate(ReadOnlySpan<byte> attributes)
    {
        var walk = new NetlinkAttributeEnumerator(attributes);
        while (walk.MoveNext())
        {
            var attribute = walk.Current;
            if (PolicyOf(attribute.Type) is not Kind kind)
            {
                return -LibC.EINVAL; // NL_VALIDATE_MAXTYPE: type 0 or above JNLAR_MAX.
            }

            if (kind == Kind.U8 && attribute.Payload.Length != sizeof(byte))
            {
                return -LibC.EINVAL; // NL_VALIDATE_STRICT_ATTRS: a fixed-size type of another size.
            }

            bool flagged = (attribute.RawType & NLA_F_NESTED) != 0;
            if (flagged != (kind == Kind.Nested))
            {
                return -LibC.EINVAL; // NL_VALIDATE_NESTED: "NLA_F_NESTED is missing" / "not expected".
            }

            if (kind == Kind.Nested && attribute.Payload.Length is > 0 and < NLA_HDRLEN)
            {
                return -LibC.ERANGE; // A non-empty nest too short for one attribute header.
            }
        }

        // NL_VALIDATE_TRAILING: bytes left over that make no whole attribute.
        return walk.Malformed ? -LibC.EINVAL : 0;
    }

    private static Kind? PolicyOf(ushort type) => type switch
    {
        JNLAR_ADDR_QUERY or JNLAR_ATOMIC_END => Kind.Binary,
        JNLAR_GLOBALS or JNLAR_BL4_ENTRIES or JNLAR_EAMT_ENTRIES or JNLAR_POOL4_ENTRIES or JNLAR_BIB_ENTRIES
            or JNLAR_SESSION_ENTRIES or JNLAR_OFFSET or JNLAR_OPERAND => Kind.Nested,
        JNLAR_OFFSET_U8 or JNLAR_PROTO or JNLAR_ATOMIC_INIT => Kind.U8,
        _ => null,
    };
}
