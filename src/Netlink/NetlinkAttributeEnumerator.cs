using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>
/// Walks a run of attributes (nla_for_each_attr). An attribute whose nla_len is under 4 or runs past the end stops
/// the walk and sets <see cref="Malformed"/>.
/// </summary>
public ref struct NetlinkAttributeEnumerator
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkAttributeEnumerator(ReadOnlySpan<byte> attributes)
    {
        _rest = attributes;
    }

    public NetlinkAttribute Current { get; private set; }

    /// <summary>Bytes were left that do not form a whole attribute.</summary>
    public bool Malformed { get; private set; }

    public readonly NetlinkAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.IsEmpty)
        {
            return false;
        }

        if (_rest.Length < NLA_HDRLEN)
        {
            return Stop();
        }

        ushort length = BitConverter.ToUInt16(_rest);
        if (length < NLA_HDRLEN || length > _rest.Length)
        {
            return Stop();
        }

        Current = new NetlinkAttribute(BitConverter.ToUInt16(_rest[2..]), _rest[NLA_HDRLEN..length]);
        int next = NLA_ALIGN(length);
        _rest = next >= _rest.Length ? [] : _rest[next..];
        return true;
    }

    /// <summary>The first attribute of <paramref name="type"/> (flags ignored), if any whole one precedes it.</summary>
    public static bool TryFind(ReadOnlySpan<byte> attributes, ushort type, out ReadOnlySpan<byte> payload)
    {
        foreach (var attribute in new NetlinkAttributeEnumerator(attributes))
        {
            if (attribute.Type == type)
            {
                payload = attribute.Payload;
                return true;
            }
        }

        payload = default;
        return false;
    }

    private bool Stop()
    {
        Malformed = true;
        _rest = [];
        return false;
    }
}
