using System.Net;
using Joold.Sessions;

namespace Joold.FakeKernel;

/// <summary>
/// Valid UDP sessions for load runs (<c>load</c> and <c>burst</c>): cheap to make and cycling through a fixed set of
/// <see cref="Distinct"/> identities (src6#port, src4#port), so a receiving fake's database stops growing once it
/// holds them all: later copies update it. Not thread-safe: used under the kernel's lock or by one caller.
/// </summary>
internal sealed class LoadSessions
{
    /// <summary>Distinct sessions before the cycle repeats; src4 ports 1024 to 61023 on one address.</summary>
    public const int Distinct = 60_000;

    private const uint LifetimeMs = 7_200_000;

    private static readonly IPAddress Source4 = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress Destination4 = IPAddress.Parse("198.51.100.1");
    private readonly IPAddress?[] _sources6 = new IPAddress?[Distinct];
    private long _next;

    /// <summary>The next session as the fake's queue holds it, expiring 2 h after <paramref name="nowMs"/>.</summary>
    public FakeSession NextQueued(long nowMs)
    {
        int i = NextIndex();
        return new FakeSession
        {
            Protocol = L4Protocol.Udp,
            Source6 = Source6(i),
            Source6Port = (ushort)(1024 + i),
            Source4 = Source4,
            Source4Port = (ushort)(1024 + i),
            Destination4 = Destination4,
            Destination4Port = 53,
            State = TcpState.Established,
            Timer = SessionTimer.Established,
            ExpiresAtMs = nowMs + LifetimeMs,
        };
    }

    /// <summary>The next session as it goes on the wire.</summary>
    public SessionEntry NextEntry()
    {
        int i = NextIndex();
        return new SessionEntry(Source6(i), (ushort)(1024 + i), Source4, (ushort)(1024 + i), Destination4, 53, LifetimeMs, L4Protocol.Udp, TcpState.Established, SessionTimer.Established);
    }

    private int NextIndex() => (int)(_next++ % Distinct);

    private IPAddress Source6(int i)
    {
        if (_sources6[i] is { } cached)
        {
            return cached;
        }

        var bytes = new byte[16];
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = 0x0d;
        bytes[3] = 0xb8;
        bytes[12] = (byte)(i >> 24);
        bytes[13] = (byte)(i >> 16);
        bytes[14] = (byte)(i >> 8);
        bytes[15] = (byte)i;
        return _sources6[i] = new IPAddress(bytes);
    }
}
