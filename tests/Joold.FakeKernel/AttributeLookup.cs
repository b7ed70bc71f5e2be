using Joold.Netlink;

namespace Joold.FakeKernel;

/// <summary>How the kernel's handlers see attributes after nla_parse: by type, the last one of each type winning.</summary>
internal static class AttributeLookup
{
    /// <summary>The payload of the last whole attribute of <paramref name="type"/> (flag bits ignored), if any.</summary>
    public static bool TryGetLast(ReadOnlySpan<byte> attributes, ushort type, out ReadOnlySpan<byte> payload)
    {
        bool found = false;
        payload = default;
        foreach (var attribute in new NetlinkAttributeEnumerator(attributes))
        {
            if (attribute.Type == type)
            {
                payload = attribute.Payload;
                found = true;
            }
        }

        return found;
    }
}
