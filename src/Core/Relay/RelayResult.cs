namespace Joold.Relay;

/// <summary>What the relay did with a batch a source wrote.</summary>
public enum RelayResult
{
    /// <summary>Every sink of the other side took it into its queue.</summary>
    Accepted,

    /// <summary>The container was malformed or empty: counted as invalid, not forwarded.</summary>
    Invalid,

    /// <summary>At least one sink's queue was full, or there was no sink to take it: counted as dropped.</summary>
    Dropped,
}
