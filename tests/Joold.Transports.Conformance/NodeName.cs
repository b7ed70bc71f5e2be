namespace Joold.Transports.Conformance;

/// <summary>The two peers of a conformance test: each is the other's peer.</summary>
public enum NodeName
{
    /// <summary>The first node.</summary>
    A,

    /// <summary>The second node.</summary>
    B,
}
