namespace Joold.FakeKernel;

/// <summary>
/// How the fake builds a session multicast. The defaults are what Jool 4.1.15 sends (spec 1.6 A); tests change
/// one field at a time to make a malformed message.
/// </summary>
public sealed record MulticastShape
{
    public static MulticastShape Kernel { get; } = new();

    public byte GenlCommand { get; init; }

    public byte GenlVersion { get; init; } = 2;

    /// <summary>The 4 magic bytes.</summary>
    public string Magic { get; init; } = "jool";

    /// <summary>Written big-endian.</summary>
    public uint Version { get; init; } = 0x04010F00;

    public byte Translator { get; init; } = 2;

    public byte Flags { get; init; }

    /// <summary>0x8007 on Linux 5.2+, 0x0007 before (spec 2.3).</summary>
    public ushort ContainerType { get; init; } = 0x8007;

    /// <summary>False leaves the message with no attribute at all.</summary>
    public bool IncludeContainer { get; init; } = true;

    /// <summary>nlmsg_seq; multicasts carry 0.</summary>
    public uint Sequence { get; init; }
}
