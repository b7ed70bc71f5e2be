using System.Runtime.InteropServices;
using Joold.Netlink;
using Joold.Netlink.Interop;
using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// A request to the Jool family whose headers are all there: nlmsghdr, genlmsghdr and the 28-byte joolnlhdr. Only
/// <see cref="TryParse"/> makes one, after checking the lengths, so every slice below is in bounds.
/// </summary>
internal readonly ref struct JoolRequest
{
    private JoolRequest(in NetlinkMessage message, uint sender, genlmsghdr genl)
    {
        Message = message.Bytes;
        Sender = sender;
        Sequence = message.Sequence;
        Flags = message.Flags;
        Command = genl.cmd;
        Header = message.Payload.Slice(GENL_HDRLEN, JOOLNL_HDRLEN);
        Attributes = message.Payload[(GENL_HDRLEN + JOOLNL_HDRLEN)..];
    }

    /// <summary>The whole request, nlmsghdr included (what an NLMSG_ERROR quotes).</summary>
    public ReadOnlySpan<byte> Message { get; }

    /// <summary>The sender's port id, where the kernel answers (info->snd_portid).</summary>
    public uint Sender { get; }

    public uint Sequence { get; }

    public ushort Flags { get; }

    public byte Command { get; }

    /// <summary>The joolnlhdr, exactly <see cref="JOOLNL_HDRLEN"/> bytes.</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>The attributes after the headers, not yet validated.</summary>
    public ReadOnlySpan<byte> Attributes { get; }

    /// <summary>
    /// genl_family_rcv_msg's first checks: room for genlmsghdr and the family's user header (-EINVAL), then
    /// reserved = 0 (-EINVAL; Linux 6.1+ checks it for families that set no resv_start_op, such as Jool's).
    /// </summary>
    public static bool TryParse(in NetlinkMessage message, uint sender, out JoolRequest request, out int negativeErrno)
    {
        request = default;
        if (message.Payload.Length < GENL_HDRLEN + JOOLNL_HDRLEN)
        {
            negativeErrno = -Tmds.Linux.LibC.EINVAL;
            return false;
        }

        var genl = MemoryMarshal.Read<genlmsghdr>(message.Payload);
        if (genl.reserved != 0)
        {
            negativeErrno = -Tmds.Linux.LibC.EINVAL;
            return false;
        }

        request = new JoolRequest(message, sender, genl);
        negativeErrno = 0;
        return true;
    }
}
