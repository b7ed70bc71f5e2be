using System.Net;
using Joold.Sessions;

namespace Joold.FakeKernel;

/// <summary>
/// Random valid sessions for <c>inject-random</c>: src6 in 2001::/16, src4 in 192.0.2.0/24, dst4 in
/// 198.51.100.0/24, TCP with any state and timer, UDP and ICMP established. Reproducible with a seed.
/// </summary>
internal static class RandomSessions
{
    public static IReadOnlyList<SessionEntry> Create(int count, int? seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = seed is int s ? new Random(s) : Random.Shared;
        var sessions = new SessionEntry[count];
        for (int i = 0; i < count; i++)
        {
            sessions[i] = Next(random);
        }

        return sessions;
    }

    private static SessionEntry Next(Random random)
    {
        var protocol = (L4Protocol)random.Next(3);
        var source6 = new byte[16];
        random.NextBytes(source6);
        source6[0] = 0x20;
        source6[1] = 0x01;
        var source4 = new byte[] { 192, 0, 2, (byte)random.Next(1, 255) };
        var destination4 = new byte[] { 198, 51, 100, (byte)random.Next(1, 255) };
        ushort port4 = (ushort)random.Next(1024, 65536);
        var state = protocol == L4Protocol.Tcp ? (TcpState)random.Next(7) : TcpState.Established;
        var timer = protocol == L4Protocol.Tcp ? (SessionTimer)random.Next(3) : SessionTimer.Established;
        return new SessionEntry(
            new IPAddress(source6),
            (ushort)random.Next(1024, 65536),
            new IPAddress(source4),
            port4,
            new IPAddress(destination4),
            protocol == L4Protocol.Icmp ? port4 : (ushort)random.Next(1, 65536),
            (uint)random.Next(1000, 7_200_000),
            protocol,
            state,
            timer);
    }
}
