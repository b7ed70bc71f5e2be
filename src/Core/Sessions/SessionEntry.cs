using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Joold.Sessions;

/// <summary>
/// One NAT64 session as Jool 4.1.13+ serializes it for synchronization: 36 bytes, every multi-byte field big-endian.
/// Fields the receiver rebuilds from its own configuration (dst6, timeouts) are not part of it.
/// </summary>
public readonly record struct SessionEntry(
    IPAddress Source6,
    ushort Source6Port,
    IPAddress Source4,
    ushort Source4Port,
    IPAddress Destination4,
    ushort Destination4Port,
    uint ExpirationMilliseconds,
    L4Protocol Protocol,
    TcpState State,
    SessionTimer Timer)
{
    /// <summary>SERIALIZED_SESSION_SIZE in Jool.</summary>
    public const int SerializedSize = 36;

    /// <summary>The 16-bit trailer: <c>(proto &lt;&lt; 5) | (state &lt;&lt; 2) | timer</c>.</summary>
    public ushort Packed => (ushort)(((int)Protocol << 5) | ((int)State << 2) | (int)Timer);

    /// <summary>Decodes the 36-byte payload of one entry. Bits the kernel ignores are ignored here too.</summary>
    public static SessionEntry Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < SerializedSize)
        {
            throw new ArgumentException($"A serialized session is {SerializedSize} bytes; got {source.Length}.", nameof(source));
        }

        ushort packed = BinaryPrimitives.ReadUInt16BigEndian(source[34..]);
        return new SessionEntry(
            Source6: new IPAddress(source[..16]),
            Source6Port: BinaryPrimitives.ReadUInt16BigEndian(source[28..]),
            Source4: new IPAddress(source[16..20]),
            Source4Port: BinaryPrimitives.ReadUInt16BigEndian(source[30..]),
            Destination4: new IPAddress(source[20..24]),
            Destination4Port: BinaryPrimitives.ReadUInt16BigEndian(source[32..]),
            ExpirationMilliseconds: BinaryPrimitives.ReadUInt32BigEndian(source[24..]),
            Protocol: (L4Protocol)((packed >> 5) & 3),
            State: (TcpState)((packed >> 2) & 7),
            Timer: (SessionTimer)(packed & 3));
    }

    /// <summary>Encodes this session into exactly 36 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < SerializedSize)
        {
            throw new ArgumentException($"A serialized session needs {SerializedSize} bytes; got {destination.Length}.", nameof(destination));
        }

        WriteAddress(Source6, AddressFamily.InterNetworkV6, destination[..16], nameof(Source6));
        WriteAddress(Source4, AddressFamily.InterNetwork, destination[16..20], nameof(Source4));
        WriteAddress(Destination4, AddressFamily.InterNetwork, destination[20..24], nameof(Destination4));
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], ExpirationMilliseconds);
        BinaryPrimitives.WriteUInt16BigEndian(destination[28..], Source6Port);
        BinaryPrimitives.WriteUInt16BigEndian(destination[30..], Source4Port);
        BinaryPrimitives.WriteUInt16BigEndian(destination[32..], Destination4Port);
        BinaryPrimitives.WriteUInt16BigEndian(destination[34..], Packed);
    }

    private static void WriteAddress(IPAddress address, AddressFamily family, Span<byte> destination, string field)
    {
        if (address.AddressFamily != family || !address.TryWriteBytes(destination, out _))
        {
            throw new ArgumentException($"{field} must be an {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} address; got {address}.", field);
        }
    }
}
