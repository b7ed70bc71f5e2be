using System.Buffers.Binary;
using Joold.Sessions;
using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// jnla_get_session_joold plus the database's timer check (spec 3 and 4.6): one JOOLD_ADD entry's payload to a
/// session, or the kernel's error text for it. Never reads past <c>payload</c>: where the kernel would read up to
/// 4 bytes beyond a short entry (bug 6.9), the fake reads zeros.
/// </summary>
internal static class SerializedSessionReader
{
    public static string? TryRead(ReadOnlySpan<byte> payload, out SessionEntry session)
    {
        session = default;

        // The kernel compares the attribute's total length, header included, with the session size (spec 6.9).
        if (payload.Length + NLA_HDRLEN < SERIALIZED_SESSION_SIZE)
        {
            return "Invalid request: The session attribute is too small.";
        }

        Span<byte> bytes = stackalloc byte[SERIALIZED_SESSION_SIZE];
        bytes.Clear();
        payload[..Math.Min(payload.Length, bytes.Length)].CopyTo(bytes);
        ushort packed = BinaryPrimitives.ReadUInt16BigEndian(bytes[SERIALIZED_SESSION_PACKED_OFFSET..]);
        int protocol = (packed >> SESSION_PROTO_SHIFT) & SESSION_PROTO_MASK;
        int timer = packed & SESSION_TIMER_MASK;
        if (protocol == L4PROTO_OTHER)
        {
            return $"Unknown protocol: {protocol}";
        }

        if (timer >= SESSION_TIMER_COUNT)
        {
            // TCP fails in the decoder; UDP and ICMP fail later, in the database.
            return protocol == (int)L4Protocol.Tcp ? $"Unknown session timer: {timer}" : $"incoming joold session's timer ({timer}) is unknown.";
        }

        session = SessionEntry.Read(bytes);
        return null;
    }
}
