using System.Buffers.Binary;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>
/// Walks a run of attributes (<c>nla_for_each_attr</c>). Every length is checked before it is used: an attribute
/// whose nla_len is under 4 or runs past the end stops the walk and sets <see cref="Malformed"/>, so hostile input
/// can neither crash nor loop. Allocates nothing.
/// </summary>
public ref struct NetlinkAttributeEnumerator
{
    private ReadOnlySpan<byte> _rest;

    /// <summary>Starts a walk over <paramref name="attributes"/> (the bytes after whatever fixed headers precede them).</summary>
    public NetlinkAttributeEnumerator(ReadOnlySpan<byte> attributes)
    {
        _rest = attributes;
    }

    /// <summary>The attribute <see cref="MoveNext"/> last found.</summary>
    public NetlinkAttribute Current { get; private set; }

    /// <summary>Bytes were left that do not form a whole attribute.</summary>
    public bool Malformed { get; private set; }

    /// <summary>Lets <c>foreach</c> walk the attributes.</summary>
    public readonly NetlinkAttributeEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next whole attribute; false at the end or at the first one out of bounds.</summary>
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

        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < NLA_HDRLEN || length > _rest.Length)
        {
            return Stop();
        }

        Current = new NetlinkAttribute(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]), _rest[NLA_HDRLEN..length]);

        // The last attribute's padding may be missing; NLA_ALIGN never exceeds length + 3.
        int next = NLA_ALIGN(length);
        _rest = next >= _rest.Length ? [] : _rest[next..];
        return true;
    }

    /// <summary>The payload of the first attribute of <paramref name="type"/> (flags ignored), if a whole one exists before any broken one.</summary>
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
