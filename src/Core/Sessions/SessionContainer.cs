using System.Buffers.Binary;

namespace Joold.Sessions;

/// <summary>
/// The payload of a JNLAR_SESSION_ENTRIES container: N concatenated JNLAL_ENTRY attributes of 40 bytes each.
/// This is exactly what C joold puts in a UDP datagram. Attribute headers are little-endian, as x86 and ARM Jool
/// write them (spec 6.5).
/// </summary>
public static class SessionContainer
{
    /// <summary>Attribute header (nla_len u16, nla_type u16).</summary>
    public const int AttributeHeaderSize = 4;

    /// <summary>One whole entry attribute: header plus a 36-byte session, no padding.</summary>
    public const int EntrySize = AttributeHeaderSize + SessionEntry.SerializedSize;

    /// <summary>JNLAL_ENTRY.</summary>
    public const ushort EntryType = 1;

    /// <summary>nla_type bits that are flags, not type (NLA_F_NESTED | NLA_F_NET_BYTEORDER).</summary>
    public const ushort AttributeFlagsMask = 0xC000;

    /// <summary>The largest container a UDP datagram can carry.</summary>
    public const int MaxPayload = 65507;

    /// <summary>Checks every entry without allocating. Rejects what the kernel would fail on or over-read.</summary>
    public static ContainerValidation Validate(ReadOnlySpan<byte> container)
    {
        if (container.IsEmpty)
        {
            return new ContainerValidation(ContainerError.Empty, 0, 0);
        }

        int offset = 0;
        int count = 0;
        while (offset < container.Length)
        {
            ReadOnlySpan<byte> rest = container[offset..];
            if (rest.Length < AttributeHeaderSize)
            {
                return new ContainerValidation(ContainerError.TrailingBytes, offset, count);
            }

            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(rest[2..]) & ~AttributeFlagsMask);
            if (length < AttributeHeaderSize || length > rest.Length)
            {
                return new ContainerValidation(ContainerError.ShortEntry, offset, count);
            }

            if (length != EntrySize)
            {
                return new ContainerValidation(ContainerError.WrongLength, offset, count);
            }

            if (type != EntryType)
            {
                return new ContainerValidation(ContainerError.WrongType, offset, count);
            }

            ushort packed = BinaryPrimitives.ReadUInt16BigEndian(rest[(AttributeHeaderSize + 34)..]);
            if (((packed >> 5) & 3) == (int)L4Protocol.Other)
            {
                return new ContainerValidation(ContainerError.UnknownProtocol, offset, count);
            }

            if ((packed & 3) == 3)
            {
                return new ContainerValidation(ContainerError.UnknownTimer, offset, count);
            }

            offset += EntrySize;
            count++;
        }

        return new ContainerValidation(ContainerError.None, offset, count);
    }

    /// <summary>Writes one entry attribute (40 bytes) and returns the number of bytes written.</summary>
    public static int WriteEntry(Span<byte> destination, in SessionEntry session)
    {
        if (destination.Length < EntrySize)
        {
            throw new ArgumentException($"An entry needs {EntrySize} bytes; got {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination, EntrySize);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], EntryType);
        session.Write(destination[AttributeHeaderSize..]);
        return EntrySize;
    }

    /// <summary>Serializes sessions into a new container payload.</summary>
    public static byte[] Create(IEnumerable<SessionEntry> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var list = sessions as IReadOnlyCollection<SessionEntry> ?? sessions.ToList();
        var buffer = new byte[list.Count * EntrySize];
        int offset = 0;
        foreach (var session in list)
        {
            offset += WriteEntry(buffer.AsSpan(offset), session);
        }

        return buffer;
    }

    /// <summary>Decodes every entry of a container, throwing <see cref="InvalidDataException"/> if it is malformed.</summary>
    public static IReadOnlyList<SessionEntry> ReadAll(ReadOnlySpan<byte> container)
    {
        var validation = Validate(container);
        if (!validation.IsValid && validation.Error != ContainerError.Empty)
        {
            throw new InvalidDataException($"Malformed session container: {validation.Describe()}.");
        }

        var sessions = new SessionEntry[validation.EntryCount];
        for (int i = 0; i < sessions.Length; i++)
        {
            sessions[i] = SessionEntry.Read(container.Slice(i * EntrySize + AttributeHeaderSize, SessionEntry.SerializedSize));
        }

        return sessions;
    }

    /// <summary>The 36-byte session payload of entry <paramref name="index"/> of a container already validated.</summary>
    public static ReadOnlySpan<byte> EntryPayload(ReadOnlySpan<byte> container, int index) =>
        container.Slice(index * EntrySize + AttributeHeaderSize, SessionEntry.SerializedSize);
}
