using System.Buffers.Binary;
using System.Net;
using Joold.Fuzz.Support;
using Joold.Sessions;

namespace Joold.Fuzz.Targets;

/// <summary>
/// A session container as a peer's datagram or the kernel delivers it: the relay's check (<see cref="SessionContainer.Validate"/>),
/// the entry decoder and the follow line. A valid container must decode and encode back to the same bytes, up to
/// the bits the kernel ignores (attribute flags, the packed word's upper bits).
/// </summary>
internal sealed class SessionContainerTarget : IFuzzTarget
{
    private const int PackedOffset = SessionContainer.AttributeHeaderSize + 34;

    public string Name => "container";

    public string Description => "session container validation, entry decoding, follow lines, re-encoding";

    public void Run(ReadOnlySpan<byte> input)
    {
        var validation = SessionContainer.Validate(input);
        FuzzCheck.That(validation.Offset >= 0 && validation.Offset <= input.Length, "the error offset lies outside the container");
        FuzzCheck.That(validation.EntryCount >= 0 && validation.EntryCount * SessionContainer.EntrySize <= input.Length, "more entries than bytes");
        FuzzCheck.That(validation.Describe().Length > 0, "an empty description");
        if (!validation.IsValid && validation.Error != ContainerError.Empty)
        {
            FuzzCheck.That(validation.Offset == validation.EntryCount * SessionContainer.EntrySize, "the error is not at the first entry that is not whole");
            try
            {
                _ = SessionContainer.ReadAll(input);
                FuzzCheck.That(false, $"ReadAll took a container that Validate refuses ({validation.Error})");
            }
            catch (InvalidDataException)
            {
                // What ReadAll promises for a malformed container.
            }

            return;
        }

        FuzzCheck.That(validation.IsValid == !input.IsEmpty, "an empty container counted as valid, or a valid one as empty");
        FuzzCheck.That(input.Length == validation.EntryCount * SessionContainer.EntrySize, "a valid container is not N whole entries");
        var sessions = SessionContainer.ReadAll(input);
        FuzzCheck.That(sessions.Count == validation.EntryCount, "ReadAll and Validate disagree on the count");
        foreach (var session in sessions)
        {
            FuzzCheck.That(FollowLine.Format(session).Split(',').Length == 8, "a follow line without its eight fields");
            FuzzCheck.That(IPAddress.Parse(FollowLine.FormatIPv6(session.Source6)).Equals(session.Source6), "the follow line's IPv6 text is not the address");
        }

        byte[] encoded = SessionContainer.Create(sessions);
        FuzzCheck.That(encoded.Length == input.Length, "the re-encoded container has another length");
        for (int offset = 0; offset < input.Length; offset += SessionContainer.EntrySize)
        {
            var original = input.Slice(offset, SessionContainer.EntrySize);
            var again = encoded.AsSpan(offset, SessionContainer.EntrySize);
            FuzzCheck.That(again[..2].SequenceEqual(original[..2]), "the entry length changed");
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(original[2..]) & ~SessionContainer.AttributeFlagsMask);
            FuzzCheck.That(BinaryPrimitives.ReadUInt16LittleEndian(again[2..]) == type, "the entry type changed");
            FuzzCheck.That(again[4..PackedOffset].SequenceEqual(original[4..PackedOffset]), "addresses, ports or expiration changed");
            int packedBits = BinaryPrimitives.ReadUInt16BigEndian(original[PackedOffset..]) & 0x7F;
            FuzzCheck.That(BinaryPrimitives.ReadUInt16BigEndian(again[PackedOffset..]) == packedBits, "protocol, state or timer changed");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("one-tcp", SessionContainer.Create([Session(L4Protocol.Tcp, 1)]));
        yield return ("udp-icmp", SessionContainer.Create([Session(L4Protocol.Udp, 2), Session(L4Protocol.Icmp, 3)]));
        yield return ("thirty-six", SessionContainer.Create(Enumerable.Range(0, 36).Select(i => Session((L4Protocol)(i % 3), i))));
        byte[] flagged = SessionContainer.Create([Session(L4Protocol.Tcp, 4)]);
        flagged[3] |= 0x80;
        yield return ("nested-flag", flagged);
    }

    private static SessionEntry Session(L4Protocol protocol, int n) => new(
        IPAddress.Parse($"2001:db8::{n + 1:x}"),
        (ushort)(1000 + n),
        IPAddress.Parse($"192.0.2.{n % 250 + 1}"),
        (ushort)(2000 + n),
        IPAddress.Parse("198.51.100.7"),
        80,
        (uint)(n * 1001),
        protocol,
        protocol == L4Protocol.Tcp ? TcpState.V4Init : TcpState.Established,
        SessionTimer.Established);
}
