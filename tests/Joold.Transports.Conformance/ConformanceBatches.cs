using Joold.Sessions;
using Joold.Testing;

namespace Joold.Transports.Conformance;

/// <summary>Session containers for the suite: valid ones (each distinct), and the broken ones a peer may send.</summary>
public static class ConformanceBatches
{
    /// <summary>A valid container of <paramref name="entries"/> sessions that no other call returns (<see cref="TestSessions.Unique"/>).</summary>
    public static byte[] Valid(int entries) => TestSessions.Unique(entries);

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
        byte[] garbage = TestSessions.Garbage(100, seed: 7); // a first attribute of length 0
        byte[] truncated = Valid(3)[..^7];
        byte[] wrongType = Valid(2);
        wrongType[SessionContainer.EntrySize + 2] = 9; // the second entry is not a JNLAL_ENTRY attribute
        return withEmpty ? [garbage, truncated, [], wrongType] : [garbage, truncated, wrongType];
    }
}
