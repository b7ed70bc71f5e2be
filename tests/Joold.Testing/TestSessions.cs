using System.Net;
using Joold.Sessions;

namespace Joold.Testing;

/// <summary>Sessions, session containers and instance names for tests: valid ones built with Core's codec, and garbage.</summary>
public static class TestSessions
{
    private static int _names;
    private static int _unique;

    /// <summary>The spec's worked example (section 3): UDP 2001:db8::8#60927, 192.0.2.1#62806, 192.0.2.8#1234, 299,028 ms.</summary>
    public static SessionEntry Example { get; } = new(
        IPAddress.Parse("2001:db8::8"), 60927, IPAddress.Parse("192.0.2.1"), 62806, IPAddress.Parse("192.0.2.8"), 1234,
        299_028, L4Protocol.Udp, TcpState.Established, SessionTimer.Established);

    /// <summary>The worked example's 40-byte attribute, as the spec prints it (little-endian header).</summary>
    public static byte[] ExampleEntryBytes { get; } = Convert.FromHexString(
        "28000100" + "20010db8000000000000000000000008" + "c0000201" + "c0000208" + "00049014" + "edff" + "f556" + "04d2" + "0020");

    /// <summary>A unique Jool instance name (at most 15 characters) so that parallel tests never share one.</summary>
    public static string UniqueInstance(string prefix = "t") =>
        $"{prefix}{Environment.ProcessId % 10000}-{Interlocked.Increment(ref _names)}";

    /// <summary>
    /// <paramref name="count"/> distinct valid sessions, the same for the same arguments; <paramref name="tag"/>
    /// keeps the sessions of different calls apart. UDP, TCP and ICMP in turn.
    /// </summary>
    public static SessionEntry[] Many(int count, int tag = 0) => Enumerable.Range(0, count).Select(i => new SessionEntry(
        Source6: new IPAddress([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, (byte)(tag >> 8), (byte)tag, 0, (byte)(i >> 16), (byte)(i >> 8), (byte)i]),
        Source6Port: (ushort)(1000 + (i % 60000)),
        Source4: new IPAddress([192, 0, 2, (byte)(1 + (i % 254))]),
        Source4Port: (ushort)(20000 + (i % 40000)),
        Destination4: new IPAddress([198, 51, 100, (byte)(1 + (tag % 254))]),
        Destination4Port: 53,
        ExpirationMilliseconds: (uint)(60_000 + i),
        Protocol: (L4Protocol)(i % 3),
        State: TcpState.Established,
        Timer: SessionTimer.Established)).ToArray();

    /// <summary>A valid container of <see cref="Many"/>(<paramref name="count"/>, <paramref name="tag"/>) (36 is a full kernel batch).</summary>
    public static byte[] Container(int count, int tag = 0) => SessionContainer.Create(Many(count, tag));

    /// <summary>
    /// A valid container of <paramref name="count"/> sessions that no other call of this process returns (nor
    /// <see cref="Many"/>: their IPv6 sources differ in byte 8).
    /// </summary>
    public static byte[] Unique(int count)
    {
        var sessions = new SessionEntry[count];
        for (int i = 0; i < count; i++)
        {
            int n = Interlocked.Increment(ref _unique);
            sessions[i] = new SessionEntry(
                Source6: new IPAddress([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 1, 0, 0, 0, (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]),
                Source6Port: (ushort)(1024 + (n % 60000)),
                Source4: new IPAddress([192, 0, 2, (byte)(1 + (n % 254))]),
                Source4Port: (ushort)(2048 + (n % 60000)),
                Destination4: new IPAddress([198, 51, 100, 7]),
                Destination4Port: 443,
                ExpirationMilliseconds: (uint)(1000 + n),
                Protocol: (L4Protocol)(n % 3),
                State: TcpState.Established,
                Timer: SessionTimer.Established);
        }

        return SessionContainer.Create(sessions);
    }

    /// <summary>Bytes that are not a container (the first attribute header says length 0), random after that.</summary>
    public static byte[] Garbage(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        if (length >= 2)
        {
            bytes[0] = 0;
            bytes[1] = 0;
        }

        return bytes;
    }
}
