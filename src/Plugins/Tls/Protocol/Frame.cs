namespace Joold.Plugins.Tls.Protocol;

/// <summary>
/// One parsed frame, pointing into the buffer it was read from: its type, the 8-byte number of HELLO (incarnation),
/// BATCH (sequence) and ACK (sequence), and where the container of a BATCH lies.
/// </summary>
public readonly record struct Frame(FrameType Type, ulong Number, int ContainerOffset, int ContainerLength);
