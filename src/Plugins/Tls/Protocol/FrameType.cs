namespace Joold.Plugins.Tls.Protocol;

/// <summary>The frames of the sync protocol (README, "Secure sync across networks").</summary>
public enum FrameType : byte
{
    /// <summary>First frame each way: the sender's incarnation (8 bytes).</summary>
    Hello = 1,

    /// <summary>A sequence number (8 bytes) and one session container, exactly as the relay holds it.</summary>
    Batch = 2,

    /// <summary>Cumulative: every batch up to this sequence number (8 bytes) reached the receiver's relay.</summary>
    Ack = 3,

    /// <summary>No payload: keeps an idle connection known to be alive.</summary>
    Ping = 4,
}
