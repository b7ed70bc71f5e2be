using System.Buffers.Binary;
using Joold.Sessions;

namespace Joold.Core.Tests.Sessions;

/// <summary>Hand-crafted containers, broken as a hostile sender might break them (valid ones: Joold.Testing.TestSessions).</summary>
internal static class Containers
{
    /// <summary>One attribute with any header and payload, as a hostile sender might write it.</summary>
    public static byte[] Attribute(ushort length, ushort type, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[SessionContainer.AttributeHeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), type);
        payload.CopyTo(bytes.AsSpan(SessionContainer.AttributeHeaderSize));
        return bytes;
    }

    /// <summary>A copy of <paramref name="container"/> with the packed field of entry <paramref name="index"/> replaced.</summary>
    public static byte[] WithPacked(byte[] container, int index, ushort packed)
    {
        var copy = (byte[])container.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(index * SessionContainer.EntrySize + SessionContainer.AttributeHeaderSize + 34), packed);
        return copy;
    }
}
