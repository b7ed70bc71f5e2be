using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>A netlink message the fake kernel received, byte for byte, and who sent it.</summary>
public sealed record ReceivedMessage(uint SenderPortId, byte[] Bytes)
{
    public ushort Type => Bytes.Length >= 6 ? BitConverter.ToUInt16(Bytes, 4) : (ushort)0;

    public ushort Flags => Bytes.Length >= 8 ? BitConverter.ToUInt16(Bytes, 6) : (ushort)0;

    public uint Sequence => Bytes.Length >= 12 ? BitConverter.ToUInt32(Bytes, 8) : 0;

    public uint PortId => Bytes.Length >= 16 ? BitConverter.ToUInt32(Bytes, 12) : 0;

    /// <summary>The genl command, or -1 when the message is too short to have one.</summary>
    public int Command => Bytes.Length > NLMSG_HDRLEN ? Bytes[NLMSG_HDRLEN] : -1;

    public override string ToString() => $"from {SenderPortId}: {Convert.ToHexString(Bytes)}";
}
