using System.Buffers.Binary;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>
/// Writes one netlink message into a caller-owned buffer: nlmsghdr, then whatever follows, then attributes, each
/// padded to 4 bytes. <see cref="Finish"/> fills in nlmsg_len. Nothing is allocated. Overflowing the buffer is a
/// programming error and throws.
/// </summary>
public ref struct NetlinkMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <summary>Starts a message in <paramref name="buffer"/> with its nlmsghdr (nlmsg_len is set by <see cref="Finish"/>).</summary>
    /// <param name="buffer">Where the message is written; it must hold the whole message.</param>
    /// <param name="type">nlmsg_type: a netlink core type or a generic netlink family id.</param>
    /// <param name="flags">nlmsg_flags (NLM_F_*).</param>
    /// <param name="seq">nlmsg_seq.</param>
    /// <param name="portId">nlmsg_pid: the sender's port id.</param>
    public NetlinkMessageWriter(Span<byte> buffer, ushort type, ushort flags, uint seq, uint portId)
    {
        _buffer = buffer;
        Span<byte> header = Reserve(NLMSG_HDRLEN);
        header.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], seq);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], portId);
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Length => _length;

    /// <summary>genlmsghdr with reserved = 0 (Linux 6.1+ rejects anything else).</summary>
    public void WriteGenericHeader(byte cmd, byte version)
    {
        Span<byte> header = Reserve(GENL_HDRLEN);
        header[0] = cmd;
        header[1] = version;
        header[2] = 0;
        header[3] = 0;
    }

    /// <summary>Raw bytes, padded to 4.</summary>
    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        Pad();
    }

    /// <summary>Space for the caller to fill (a fixed header, for example), padded to 4.</summary>
    public Span<byte> Reserve(int length)
    {
        if (length < 0 || length > _buffer.Length - _length)
        {
            throw new ArgumentException($"The netlink message does not fit its {_buffer.Length}-byte buffer.", nameof(length));
        }

        Span<byte> space = _buffer.Slice(_length, length);
        _length += length;
        return space;
    }

    /// <summary>An attribute with <paramref name="payload"/>; the padding is zeroed.</summary>
    public void WriteAttribute(ushort type, scoped ReadOnlySpan<byte> payload)
    {
        if (payload.Length > ushort.MaxValue - NLA_HDRLEN)
        {
            throw new ArgumentException($"An attribute payload cannot exceed {ushort.MaxValue - NLA_HDRLEN} bytes.", nameof(payload));
        }

        Span<byte> header = Reserve(NLA_HDRLEN);
        BitConverter.TryWriteBytes(header, (ushort)(NLA_HDRLEN + payload.Length));
        BitConverter.TryWriteBytes(header[2..], type);
        payload.CopyTo(Reserve(payload.Length));
        Pad();
    }

    /// <summary>A u8 attribute.</summary>
    public void WriteAttributeU8(ushort type, byte value) => WriteAttribute(type, [value]);

    /// <summary>A u16 attribute, host byte order.</summary>
    public void WriteAttributeU16(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BitConverter.TryWriteBytes(bytes, value);
        WriteAttribute(type, bytes);
    }

    /// <summary>A u32 attribute, host byte order.</summary>
    public void WriteAttributeU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes, value);
        WriteAttribute(type, bytes);
    }

    /// <summary>An ASCII string attribute with its NUL terminator (NLA_NUL_STRING / NLA_STRING as libnl writes it).</summary>
    public void WriteAttributeString(ushort type, string value)
    {
        Span<byte> bytes = value.Length < 256 ? stackalloc byte[value.Length + 1] : new byte[value.Length + 1];
        System.Text.Encoding.ASCII.GetBytes(value, bytes);
        bytes[^1] = 0;
        WriteAttribute(type, bytes);
    }

    /// <summary>Starts a nested attribute; pass the returned offset to <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _length;
        Span<byte> header = Reserve(NLA_HDRLEN);
        BitConverter.TryWriteBytes(header[2..], type);
        return start;
    }

    /// <summary>Ends the nested attribute <see cref="BeginNested"/> started: sets its nla_len to cover what was written since.</summary>
    public readonly void EndNested(int start) => _ =
        BitConverter.TryWriteBytes(_buffer[start..], checked((ushort)(_length - start)));

    /// <summary>Sets nlmsg_len and returns the whole message.</summary>
    public readonly Span<byte> Finish()
    {
        BitConverter.TryWriteBytes(_buffer, (uint)_length);
        return _buffer[.._length];
    }

    private void Pad()
    {
        int padding = NLA_ALIGN(_length) - _length;
        Reserve(padding).Clear();
    }
}
