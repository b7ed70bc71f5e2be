using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// How the fake builds a session multicast. The defaults are what Jool 4.1.15 sends (spec 1.6 A); tests change
/// one field at a time to make a malformed message.
/// </summary>
public sealed record MulticastShape
{
    public static MulticastShape Kernel { get; } = new();

    public byte GenlCommand { get; init; } = KERNEL_MESSAGE_CMD;

    public byte GenlVersion { get; init; } = FAMILY_VERSION;

    /// <summary>The 4 magic bytes.</summary>
    public string Magic { get; init; } = JOOLNL_HDR_MAGIC;

    /// <summary>Written big-endian.</summary>
    public uint Version { get; init; } = JOOL_VERSION;

    public byte Translator { get; init; } = XT_NAT64;

    public byte Flags { get; init; }

    /// <summary>NLA_F_NESTED | JNLAR_SESSION_ENTRIES on Linux 5.2+, the bare type before (spec 2.3).</summary>
    public ushort ContainerType { get; init; } = NLA_F_NESTED | JNLAR_SESSION_ENTRIES;

    /// <summary>False leaves the message with no attribute at all.</summary>
    public bool IncludeContainer { get; init; } = true;

    /// <summary>nlmsg_seq; multicasts carry 0.</summary>
    public uint Sequence { get; init; }
}
