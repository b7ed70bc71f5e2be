using System.Net;
using Joold.Sessions;

namespace Joold.Transports.Conformance;

/// <summary>Session containers for the suite: valid ones (each distinct), and the broken ones a peer may send.</summary>
public static class ConformanceBatches
{
    private static int _next;

    /// <summary>A valid container of <paramref name="entries"/> sessions that no other call returns.</summary>
    public static byte[] Valid(int entries)
    {
        int first = Interlocked.Add(ref _next, entries) - entries;
        var sessions = new SessionEntry[entries];
        for (int i = 0; i < entries; i++)
        {
            int n = first + i;
            sessions[i] = new SessionEntry(
                Source6: new IPAddress([0x20, 0x01, 0x0d, 0xb8, 0, 0x64, 0, 0, 0, 0, 0, 0, (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]),
                Source6Port: (ushort)(1024 + (n % 60000)),
                Source4: new IPAddress([192, 0, 2, (byte)(1 + (n % 254))]),
                Source4Port: (ushort)(2048 + (n % 60000)),
                Destination4: new IPAddress([198, 51, 100, (byte)(n % 251)]),
                Destination4Port: 443,
                ExpirationMilliseconds: (uint)(1000 + n),
                Protocol: (L4Protocol)(n % 3),
                State: TcpState.Established,
                Timer: SessionTimer.Established);
        }

        return SessionContainer.Create(sessions);
    }

    /// <summary>A valid container of the given shape.</summary>
    public static byte[] Of(BatchShape shape, TransportCapabilities capabilities) => shape switch
    {
        BatchShape.OneEntry => Valid(1),
        BatchShape.KernelBatch => Valid(36),
        _ => Valid(capabilities.MaxBatchBytes / SessionContainer.EntrySize),
    };

    /// <summary>What a confused or hostile peer may send; none of it is a valid container.</summary>
    public static IReadOnlyList<byte[]> Invalid(bool withEmpty)
    {
        var garbage = new byte[100];
        new Random(7).NextBytes(garbage);
        garbage[0] = 0; // a first attribute of length 0
        garbage[1] = 0;
        byte[] truncated = Valid(3)[..^7];
        byte[] wrongType = Valid(2);
        wrongType[SessionContainer.EntrySize + 2] = 9; // the second entry is not a JNLAL_ENTRY attribute
        return withEmpty ? [garbage, truncated, [], wrongType] : [garbage, truncated, wrongType];
    }
}
