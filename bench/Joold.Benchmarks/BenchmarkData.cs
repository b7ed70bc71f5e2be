using System.Net;
using Joold.Sessions;

namespace Joold.Benchmarks;

/// <summary>The input every benchmark uses: a full C joold batch of 36 distinct sessions.</summary>
internal static class BenchmarkData
{
    public const int SessionsPerBatch = 36;

    public static byte[] FullBatch() => SessionContainer.Create(Enumerable.Range(1, SessionsPerBatch).Select(Session));

    private static SessionEntry Session(int seed) => new(
        Source6: new IPAddress([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)seed]),
        Source6Port: (ushort)(40000 + seed),
        Source4: new IPAddress([192, 0, 2, (byte)seed]),
        Source4Port: (ushort)(50000 + seed),
        Destination4: new IPAddress([198, 51, 100, (byte)seed]),
        Destination4Port: 443,
        ExpirationMilliseconds: 7_200_000,
        Protocol: L4Protocol.Tcp,
        State: TcpState.Established,
        Timer: SessionTimer.Established);
}
