using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Joold.Sessions;

namespace Joold.Core.Tests.Sessions;

/// <summary>FsCheck generators for valid sessions: any address and port, only the enum values Jool defines.</summary>
public static class SessionArbitraries
{
    public static Arbitrary<SessionEntry> Sessions() => Arb.From(SessionGen);

    private static Gen<byte[]> Bytes(int count) => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), count);

    private static Gen<ushort> Port => Gen.Choose(0, ushort.MaxValue).Select(p => (ushort)p);

    private static Gen<uint> Expiration => Gen.Frequency(
        (1, Gen.Elements(0u, 1u, uint.MaxValue, 299_028u)),
        (4, Gen.Choose(int.MinValue, int.MaxValue).Select(v => unchecked((uint)v))));

    private static Gen<SessionEntry> SessionGen =>
        from source6 in Bytes(16)
        from source4 in Bytes(4)
        from destination4 in Bytes(4)
        from ports in Gen.Three(Port)
        from expiration in Expiration
        from protocol in Gen.Choose(0, 2)
        from state in Gen.Choose(0, 6)
        from timer in Gen.Choose(0, 2)
        select new SessionEntry(
            new IPAddress(source6),
            ports.Item1,
            new IPAddress(source4),
            ports.Item2,
            new IPAddress(destination4),
            ports.Item3,
            expiration,
            (L4Protocol)protocol,
            (TcpState)state,
            (SessionTimer)timer);
}
