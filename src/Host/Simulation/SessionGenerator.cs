using System.Net;
using Joold.Sessions;

namespace Joold.Host.Simulation;

/// <summary>Makes distinct, valid, realistic sessions: every one differs from all others by its IPv6 source.</summary>
public sealed class SessionGenerator(int seed, byte nodeId = 1)
{
    private readonly Random _random = new(seed);
    private uint _next;

    public SessionEntry Next()
    {
        uint n = ++_next;
        var protocol = (L4Protocol)_random.Next(3);
        var (state, timer) = protocol == L4Protocol.Tcp
            ? _random.Next(3) switch
            {
                0 => (TcpState.Established, SessionTimer.Established),
                1 => (TcpState.V4Init, SessionTimer.Syn4),
                _ => (TcpState.Trans, SessionTimer.Transitory),
            }
            : (TcpState.Established, SessionTimer.Established);
        ushort port6 = (ushort)_random.Next(1024, 65536);
        ushort port4 = (ushort)_random.Next(1024, 65536);
        byte[] source6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0, 0, 0, 0, nodeId, 0, (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n];
        return new SessionEntry(
            Source6: new IPAddress(source6),
            Source6Port: port6,
            Source4: new IPAddress([192, 0, 2, (byte)(1 + (n % 254))]),
            Source4Port: protocol == L4Protocol.Icmp ? port6 : port4,
            Destination4: new IPAddress([198, 51, 100, (byte)_random.Next(1, 255)]),
            Destination4Port: protocol == L4Protocol.Icmp ? port6 : (ushort)_random.Next(1, 65536),
            ExpirationMilliseconds: (uint)_random.Next(1, 7_200_000),
            Protocol: protocol,
            State: state,
            Timer: timer);
    }

    /// <summary>A container of <paramref name="count"/> new sessions (1 to 36 fits one kernel batch).</summary>
    public byte[] NextBatch(int count)
    {
        var sessions = new SessionEntry[count];
        for (int i = 0; i < count; i++)
        {
            sessions[i] = Next();
        }

        return SessionContainer.Create(sessions);
    }
}
