using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>
/// Walks the netlink messages of one datagram (NLMSG_OK / NLMSG_NEXT). Every length is checked before it is used:
/// a header that claims less than 16 bytes or more than what is left ends the walk and sets
/// <see cref="Malformed"/>, so hostile input can neither crash nor loop.
/// </summary>
public ref struct NetlinkMessageEnumerator
{
    private ReadOnlySpan<byte> _rest;

    public NetlinkMessageEnumerator(ReadOnlySpan<byte> datagram)
    {
        _rest = datagram;
    }

    public NetlinkMessage Current { get; private set; }

    /// <summary>Bytes were left that do not form a whole message.</summary>
    public bool Malformed { get; private set; }

    public readonly NetlinkMessageEnumerator GetEnumerator() => this;

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

        uint length = BitConverter.ToUInt32(_rest);
        if (length < NLMSG_HDRLEN || length > (uint)_rest.Length)
        {
            return Stop();
        }

        Current = new NetlinkMessage(_rest[..(int)length]);
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
