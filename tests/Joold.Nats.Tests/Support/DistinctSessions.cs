using System.Buffers.Binary;
using System.Net;
using Joold.Sessions;

namespace Joold.Nats.Tests.Support;

/// <summary>
/// Random valid sessions that never share a BIB entry: the n-th one has its own src6 (2001:db8::n) and its own
/// src4#port (192.0.2.x#p, from n), so a receiving kernel stores every one of them. The fake's
/// <c>inject-random</c> cannot promise that: a peer's session whose src4#port another BIB entry holds is dropped
/// (-EEXIST, as Jool does), and its seeded sessions already repeat a TCP src4#port after about 8,000 sessions.
/// </summary>
internal sealed class DistinctSessions(int seed)
{
    private const int PortsPerAddress = 65536 - 1024;
    private const int Addresses = 254;

    private readonly Random _random = new(seed);
    private int _created;

    public IReadOnlyList<SessionEntry> Next(int count)
    {
        var sessions = new SessionEntry[count];
        for (int i = 0; i < count; i++)
        {
            sessions[i] = Create(_created++);
        }

        return sessions;
    }

    private SessionEntry Create(int n)
    {
        if (n >= Addresses * PortsPerAddress)
        {
            throw new InvalidOperationException("Every src4#port of 192.0.2.0/24 is used.");
        }

        var source6 = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(source6, 0x2001_0db8);
        BinaryPrimitives.WriteInt32BigEndian(source6.AsSpan(12), n);
        var source4 = new IPAddress(new byte[] { 192, 0, 2, (byte)(1 + (n / PortsPerAddress)) });
        ushort port4 = (ushort)(1024 + (n % PortsPerAddress));

        var protocol = (L4Protocol)_random.Next(3);
        bool tcp = protocol == L4Protocol.Tcp;
        return new SessionEntry(
            new IPAddress(source6),
            (ushort)_random.Next(1024, 65536),
            source4,
            port4,
            new IPAddress(new byte[] { 198, 51, 100, (byte)_random.Next(1, 255) }),
            protocol == L4Protocol.Icmp ? port4 : (ushort)_random.Next(1, 65536),
            (uint)_random.Next(1000, 7_200_000),
            protocol,
            tcp ? (TcpState)_random.Next(7) : TcpState.Established,
            tcp ? (SessionTimer)_random.Next(3) : SessionTimer.Established);
    }
}
