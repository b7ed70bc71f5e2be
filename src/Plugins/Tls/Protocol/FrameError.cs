namespace Joold.Plugins.Tls.Protocol;

/// <summary>Why bytes are not a frame; any of these closes the connection.</summary>
public enum FrameError
{
    None,

    /// <summary>The first two bytes are not "JT".</summary>
    BadMagic,

    /// <summary>A protocol version this node does not speak.</summary>
    BadVersion,

    /// <summary>A frame type this version does not define.</summary>
    UnknownType,

    /// <summary>The length field exceeds <see cref="FrameCodec.MaxPayload"/>.</summary>
    Oversized,

    /// <summary>The length does not fit the type (HELLO, ACK: 8; PING: 0; BATCH: 9 or more).</summary>
    BadLength,
}
