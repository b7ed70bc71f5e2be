using Joold.Fuzz.Support;
using Joold.Netlink;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.Fuzz.Targets;

/// <summary>
/// A datagram from a netlink socket, through the generic readers of <c>src/Netlink</c>: the message walk, the
/// attribute walk (nested down to three levels), and the nlctrl answer parser the family resolution uses. Every walk
/// must move forward, stay inside the datagram and end.
/// </summary>
internal sealed class NetlinkReadersTarget : IFuzzTarget
{
    private const int NestingChecked = 3;

    public string Name => "netlink";

    public string Description => "netlink message and attribute readers, nlctrl family answers";

    public void Run(ReadOnlySpan<byte> input)
    {
        uint firstSequence = 0;
        int count = 0;
        var messages = new NetlinkMessageEnumerator(input);
        int remaining = input.Length;
        while (messages.MoveNext())
        {
            var message = messages.Current;
            FuzzCheck.That(message.Bytes.Length >= NLMSG_HDRLEN && message.Bytes.Length <= remaining, "a message outside the datagram");
            FuzzCheck.That(messages.Remaining < remaining, "the message walk did not move forward");
            remaining = messages.Remaining;
            firstSequence = count++ == 0 ? message.Sequence : firstSequence;
            _ = message.ErrorCode;
            if (message.Payload.Length >= GENL_HDRLEN)
            {
                WalkAttributes(message.Payload[GENL_HDRLEN..], 0);
            }
        }

        FuzzCheck.That(messages.Remaining == 0, "the message walk stopped before the end without saying why");
        FuzzCheck.That(!messages.Malformed || input.Length > 0, "an empty datagram called malformed");

        if (GenericNetlinkResolver.TryParseReply(input, firstSequence, out var family, out int error))
        {
            // The error is whatever the NLMSG_ERROR says (negative from the kernel, anything from a hostile peer).
            FuzzCheck.That((error == 0) == (family is not null), "an answer that is neither a family nor an error");
        }

        // The attributes of a CTRL_CMD_NEWFAMILY, as if the whole input were one.
        _ = GenericNetlinkResolver.ParseFamily(input);
    }

    private static void WalkAttributes(ReadOnlySpan<byte> attributes, int depth)
    {
        var walk = new NetlinkAttributeEnumerator(attributes);
        int walked = 0;
        ushort firstType = 0;
        while (walk.MoveNext())
        {
            var attribute = walk.Current;
            FuzzCheck.That(attribute.Payload.Length <= attributes.Length - walked - NLA_HDRLEN, "an attribute outside its parent");
            firstType = walked == 0 ? attribute.Type : firstType;
            walked += NLA_ALIGN(attribute.Payload.Length + NLA_HDRLEN);
            if (depth < NestingChecked)
            {
                WalkAttributes(attribute.Payload, depth + 1);
            }
        }

        FuzzCheck.That(walk.Malformed == (walked < attributes.Length), "Malformed does not say whether bytes were left");
        if (walked > 0)
        {
            FuzzCheck.That(NetlinkAttributeEnumerator.TryFind(attributes, firstType, out _), "TryFind misses the first attribute");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("nlctrl-family", FamilyAnswer(seq: 7));
        byte[] buffer = new byte[64];
        var error = new NetlinkMessageWriter(buffer, NLMSG_ERROR, 0, 7, 0);
        error.WriteBytes(BitConverter.GetBytes(-2));
        error.WriteBytes(new byte[NLMSG_HDRLEN]);
        yield return ("nlmsg-error", error.Finish().ToArray());
        var ack = new NetlinkMessageWriter(buffer, NLMSG_ERROR, 0, 7, 0);
        ack.WriteBytes(new byte[4 + NLMSG_HDRLEN]);
        yield return ("ack-then-family", [.. ack.Finish().ToArray(), .. FamilyAnswer(seq: 7)]);
    }

    /// <summary>What nlctrl answers for family "Jool": its id, its name and its "joold" group.</summary>
    private static byte[] FamilyAnswer(uint seq)
    {
        byte[] buffer = new byte[256];
        var writer = new NetlinkMessageWriter(buffer, GENL_ID_CTRL, 0, seq, 0);
        writer.WriteGenericHeader(CTRL_CMD_NEWFAMILY, 2);
        writer.WriteAttributeU16(CTRL_ATTR_FAMILY_ID, 0x22);
        writer.WriteAttributeString(CTRL_ATTR_FAMILY_NAME, "Jool");
        writer.WriteAttributeU32(CTRL_ATTR_VERSION, 2);
        int groups = writer.BeginNested(CTRL_ATTR_MCAST_GROUPS | NLA_F_NESTED);
        int group = writer.BeginNested(1 | NLA_F_NESTED);
        writer.WriteAttributeU32(CTRL_ATTR_MCAST_GRP_ID, 9);
        writer.WriteAttributeString(CTRL_ATTR_MCAST_GRP_NAME, "joold");
        writer.EndNested(group);
        writer.EndNested(groups);
        return writer.Finish().ToArray();
    }
}
