using System.Buffers.Binary;
using System.Net;
using Joold.Sessions;

namespace Joold.Core.Tests.Sessions;

/// <summary>Builds valid containers and hand-crafted broken ones for the tests.</summary>
internal static class Containers
{
    /// <summary>A distinct valid session; <paramref name="seed"/> shows up in ports and addresses.</summary>
    public static SessionEntry Session(int seed) => new(
        Source6: new IPAddress([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(seed >> 8), (byte)seed]),
        Source6Port: (ushort)(1000 + seed),
        Source4: new IPAddress([192, 0, 2, (byte)seed]),
        Source4Port: (ushort)(2000 + seed),
        Destination4: new IPAddress([198, 51, 100, (byte)(seed * 7)]),
        Destination4Port: (ushort)(3000 + seed),
        ExpirationMilliseconds: (uint)(seed * 1000),
        Protocol: (L4Protocol)(seed % 3),
        State: seed % 3 == 0 ? (TcpState)(seed % 7) : TcpState.Established,
        Timer: seed % 3 == 0 ? (SessionTimer)(seed % 3) : SessionTimer.Established);

    /// <summary>A valid container of <paramref name="count"/> distinct sessions (36 is a full C joold batch).</summary>
    public static byte[] Batch(int count, int firstSeed = 1) =>
        SessionContainer.Create(Enumerable.Range(firstSeed, count).Select(Session));

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
