using System.Net;
using Joold.Sessions;

namespace Joold.Tls.Tests.Support;

/// <summary>Valid, distinct session containers: each call returns sessions no other call returns.</summary>
public static class TestSessions
{
    private static int _next;

    public static byte[] Batch(int count)
    {
        var sessions = new SessionEntry[count];
        for (int i = 0; i < count; i++)
        {
            int n = Interlocked.Increment(ref _next);
            sessions[i] = new SessionEntry(
                Source6: new IPAddress([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]),
                Source6Port: (ushort)(1024 + (n % 60000)),
                Source4: new IPAddress([192, 0, 2, (byte)(1 + (n % 254))]),
                Source4Port: (ushort)(2048 + (n % 60000)),
                Destination4: new IPAddress([198, 51, 100, 7]),
                Destination4Port: 443,
                ExpirationMilliseconds: (uint)(60_000 + n),
                Protocol: (L4Protocol)(n % 3),
                State: TcpState.Established,
                Timer: SessionTimer.Established);
        }

        return SessionContainer.Create(sessions);
    }
}
