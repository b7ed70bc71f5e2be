using Joold.Netlink;
using Joold.Plugins.JoolNetlink.Jool;
using static Joold.Netlink.Interop.Netlink;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// A netlink peer played by a bare <see cref="NetlinkSocket"/>: it answers what the channel sends while it starts
/// (family resolution, and INSTANCE_HELLO unless told not to), then never reads again, with the smallest receive
/// buffer the kernel allows. Its queue fills, and every send to it then meets EAGAIN: a hung user-space peer (the
/// real kernel never does this).
/// </summary>
public sealed class StuckKernel : IDisposable
{
    /// <summary>The id it answers for family "Jool".</summary>
    public const ushort FamilyId = 0x6A70;

    /// <summary>
    /// The "joold" group it answers: nlctrl's own "notify" group (0x10), which exists on every kernel, so joining it
    /// works; the stuck peer never sends to it.
    /// </summary>
    public const uint GroupId = 0x10;

    private readonly NetlinkSocket _socket = NetlinkSocket.Open();

    public uint PortId => _socket.PortId;

    /// <summary>The channel's port id, as its first request showed it.</summary>
    public uint ChannelPortId { get; private set; }

    /// <summary>
    /// Reads and answers until the resolution and the HELLO have both arrived (the HELLO is left unanswered when
    /// <paramref name="answerHello"/> is false), then shrinks the receive buffer and stops reading for good.
    /// </summary>
    public async Task AnswerStartupAsync(CancellationToken cancellationToken, bool answerHello = true)
    {
        var buffer = new byte[64 * 1024];
        var sender = NetlinkAddress.CreateForReceive();
        bool resolved = false;
        bool greeted = false;
        while (!(resolved && greeted))
        {
            int length = await _socket.ReceiveAsync(buffer, sender, cancellationToken);
            ChannelPortId = NetlinkAddress.PortIdOf(sender) ?? 0;
            foreach (var message in new NetlinkMessageEnumerator(buffer.AsSpan(0, length)))
            {
                if (message.Type == GENL_ID_CTRL)
                {
                    Send(FamilyReply(message.Sequence, ChannelPortId));
                    resolved = true;
                }
                else if (message.Type == FamilyId && message.Payload.Length >= GENL_HDRLEN + JOOLNL_HDRLEN && message.Payload[0] == JNLOP_INSTANCE_HELLO)
                {
                    if (answerHello)
                    {
                        Send(HelloReply(message.Sequence, ChannelPortId, message.Payload.Slice(GENL_HDRLEN, JOOLNL_HDRLEN)));
                    }

                    greeted = true;
                }
            }
        }

        _socket.SetReceiveBuffer(1);
    }

    /// <summary>Sends the channel a kernel-shaped session multicast, as a unicast from this peer.</summary>
    public void SendSessions(string instance, byte[] container)
    {
        var buffer = new byte[JoolRequest.MaxAddSize];
        var writer = new NetlinkMessageWriter(buffer, FamilyId, 0, 0, 0);
        writer.WriteGenericHeader(JNLOP_JOOLD_ADD, JOOLNL_FAMILY_VERSION);
        JoolHeader.Write(writer.Reserve(JOOLNL_HDRLEN), System.Text.Encoding.ASCII.GetBytes(instance));
        writer.WriteAttribute(JNLAR_SESSION_ENTRIES | NLA_F_NESTED, container);
        Send(writer.Finish());
    }

    public void Dispose() => _socket.Dispose();

    private void Send(ReadOnlySpan<byte> message) =>
        Assert.Equal(System.Net.Sockets.SocketError.Success, _socket.SendTo(message, NetlinkAddress.Create(ChannelPortId)));

    private static byte[] FamilyReply(uint seq, uint portId)
    {
        var buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer, GENL_ID_CTRL, 0, seq, portId);
        writer.WriteGenericHeader(CTRL_CMD_NEWFAMILY, 2);
        writer.WriteAttributeU16(CTRL_ATTR_FAMILY_ID, FamilyId);
        writer.WriteAttributeString(CTRL_ATTR_FAMILY_NAME, JOOLNL_FAMILY);
        int groups = writer.BeginNested(CTRL_ATTR_MCAST_GROUPS | NLA_F_NESTED);
        int group = writer.BeginNested(1 | NLA_F_NESTED);
        writer.WriteAttributeString(CTRL_ATTR_MCAST_GRP_NAME, JOOLNL_MULTICAST_GRP_NAME);
        writer.WriteAttributeU32(CTRL_ATTR_MCAST_GRP_ID, GroupId);
        writer.EndNested(group);
        writer.EndNested(groups);
        return writer.Finish().ToArray();
    }

    private static byte[] HelloReply(uint seq, uint portId, ReadOnlySpan<byte> header)
    {
        var buffer = new byte[128];
        var writer = new NetlinkMessageWriter(buffer, FamilyId, 0, seq, portId);
        writer.WriteGenericHeader(JNLOP_INSTANCE_HELLO, JOOLNL_FAMILY_VERSION);
        writer.WriteBytes(header);
        writer.WriteAttributeU8(JNLAIS_STATUS, IHS_ALIVE);
        return writer.Finish().ToArray();
    }
}
