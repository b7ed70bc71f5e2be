using System.Runtime.InteropServices;
using Joold.Netlink.Interop;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>A netlink message the fake kernel received, byte for byte, and who sent it.</summary>
public sealed record ReceivedMessage(uint SenderPortId, byte[] Bytes)
{
    public ushort Type => Header.nlmsg_type;

    public ushort Flags => Header.nlmsg_flags;

    public uint Sequence => Header.nlmsg_seq;

    public uint PortId => Header.nlmsg_pid;

    /// <summary>The genl command (the genlmsghdr's first byte), or -1 when the message is too short to have one.</summary>
    public int Command => Bytes.Length > NLMSG_HDRLEN ? Bytes[NLMSG_HDRLEN] : -1;

    /// <summary>The nlmsghdr, all zeros when the bytes are too short to hold one.</summary>
    private nlmsghdr Header => Bytes.Length >= NLMSG_HDRLEN ? MemoryMarshal.Read<nlmsghdr>(Bytes) : default;

    public override string ToString() => $"from {SenderPortId}: {Convert.ToHexString(Bytes)}";
}
