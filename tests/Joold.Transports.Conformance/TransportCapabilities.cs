namespace Joold.Transports.Conformance;

/// <summary>What a transport says about itself; the suite adapts its expectations to it, never its rules.</summary>
public sealed record TransportCapabilities
{
    /// <summary>
    /// The largest batch, in bytes, one <c>SendAsync</c> carries whole (UDP: 65,507 bytes over IPv4, 65,527 over
    /// IPv6). The suite sends the most whole 40-byte entries that fit.
    /// </summary>
    public required int MaxBatchBytes { get; init; }

    /// <summary>What becomes of batches sent while the peer is gone.</summary>
    public required PeerGone PeerGone { get; init; }

    /// <summary>
    /// Whether a zero-length payload reaches the peer (UDP carries empty datagrams). When it does, the suite sends
    /// one among the invalid inputs.
    /// </summary>
    public bool CarriesEmptyPayloads { get; init; } = true;
}
