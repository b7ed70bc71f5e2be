using System.Buffers.Binary;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>
/// Walks the netlink messages of one datagram (<c>NLMSG_OK</c> / <c>NLMSG_NEXT</c>). Every length is checked before
/// it is used: a header that claims less than 16 bytes or more than what is left ends the walk and sets
/// <see cref="Malformed"/>, so hostile input can neither crash nor loop. Allocates nothing.
/// </summary>
public ref struct NetlinkMessageEnumerator
{
    private ReadOnlySpan<byte> _rest;

    /// <summary>Starts a walk over the bytes of one received datagram.</summary>
    public NetlinkMessageEnumerator(ReadOnlySpan<byte> datagram)
    {
        _rest = datagram;
    }

    /// <summary>The message <see cref="MoveNext"/> last found.</summary>
    public NetlinkMessage Current { get; private set; }

    /// <summary>Bytes were left that do not form a whole message.</summary>
    public bool Malformed { get; private set; }

    /// <summary>Bytes after <see cref="Current"/> and its padding, not walked yet.</summary>
    public readonly int Remaining => _rest.Length;

    /// <summary>Lets <c>foreach</c> walk the messages.</summary>
    public readonly NetlinkMessageEnumerator GetEnumerator() => this;

    /// <summary>Moves to the next whole message; false at the end or at the first one out of bounds.</summary>
    public bool MoveNext()
    {
        if (_rest.IsEmpty)
        {
            return false;
        }

        if (_rest.Length < NLMSG_HDRLEN)
        {
            return Stop();
        }

        uint length = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < NLMSG_HDRLEN || length > (uint)_rest.Length)
        {
            return Stop();
        }

        Current = new NetlinkMessage(_rest[..(int)length]);

        // The last message's padding may be missing; NLMSG_ALIGN never exceeds length + 3.
        int next = NLMSG_ALIGN((int)length);
        _rest = next >= _rest.Length ? [] : _rest[next..];
        return true;
    }

    private bool Stop()
    {
        Malformed = true;
        _rest = [];
        return false;
    }
}
