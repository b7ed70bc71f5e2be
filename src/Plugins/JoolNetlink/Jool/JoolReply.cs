using Joold.Netlink;
using static Joold.Netlink.Interop.Netlink;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Jool;

/// <summary>The kernel's answer to one of our requests (HELLO, ADVERTISE), matched by sequence number.</summary>
/// <param name="IsError">The kernel refused: a Jool error reply (1.6 D) or a bare NLMSG_ERROR.</param>
/// <param name="ErrorCode">The positive errno, when refused.</param>
/// <param name="ErrorMessage">The kernel's JNLAERR_MSG, or a description of the netlink error.</param>
/// <param name="InstanceStatus">JNLAIS_STATUS of a HELLO reply, when present.</param>
internal sealed record JoolReply(bool IsError, int ErrorCode, string ErrorMessage, byte? InstanceStatus)
{
    /// <summary>Reads the answer out of <paramref name="message"/> (already matched to our request).</summary>
    public static JoolReply From(in NetlinkMessage message)
    {
        if (message.Type == NLMSG_ERROR)
        {
            int error = -(message.ErrorCode ?? -Tmds.Linux.LibC.EINVAL);
            return error == 0
                ? new JoolReply(false, 0, "", null)
                : new JoolReply(true, error, $"netlink error: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(error)} (errno {error})", null);
        }

        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < GENL_HDRLEN + JOOLNL_HDRLEN)
        {
            return new JoolReply(true, Tmds.Linux.LibC.EINVAL, $"the reply is too short ({message.Bytes.Length} bytes)", null);
        }

        ReadOnlySpan<byte> header = payload.Slice(GENL_HDRLEN, JOOLNL_HDRLEN);
        ReadOnlySpan<byte> attributes = payload[(GENL_HDRLEN + JOOLNL_HDRLEN)..];
        if ((JoolHeader.Flags(header) & JOOLNLHDR_FLAGS_ERROR) != 0)
        {
            int code = NetlinkAttributeEnumerator.TryFind(attributes, JNLAERR_CODE, out var c) && c.Length >= 2 ? BitConverter.ToUInt16(c) : 0;
            string text = NetlinkAttributeEnumerator.TryFind(attributes, JNLAERR_MSG, out var m) ? KernelMessage.ToPrintable(m) : "(no message)";
            return new JoolReply(true, code, text, null);
        }

        byte? status = NetlinkAttributeEnumerator.TryFind(attributes, JNLAIS_STATUS, out var s) && s.Length >= 1 ? s[0] : null;
        return new JoolReply(false, 0, "", status);
    }
}
