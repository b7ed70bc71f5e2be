namespace Joold.Relay;

/// <summary>Which side of the relay a component serves.</summary>
public enum SessionSide
{
    /// <summary>The NAT64 this daemon serves: the Jool kernel module, or a fake standing in for it.</summary>
    Local,

    /// <summary>The other NAT64 boxes, reached over the network.</summary>
    Peer,
}
