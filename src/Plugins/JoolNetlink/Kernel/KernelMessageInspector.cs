using System.Globalization;
using System.Net;
using System.Text;
using Joold.Netlink;
using Joold.Plugins.JoolNetlink.Jool;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.Logging;
using static Joold.Netlink.Interop.Netlink;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>
/// Looks at what the kernel sent and decides, message by message, whether to forward it and whether to ACK it (the
/// ACK rule, spec 5.5 and 6.2): a session batch of our instance is forwarded and ACKed; a message of ours too broken
/// to forward is counted, logged and ACKed; the kernel's error replies are logged and never ACKed; other instances'
/// messages, answers to our requests and strangers are neither. Synchronous, so spans never cross an await.
/// </summary>
internal sealed class KernelMessageInspector(
    JoolNetlinkOptions options,
    KernelConnection connection,
    ITransportCounters counters,
    ILogger logger,
    KernelLogLimits limits)
{
    private readonly byte[] _instanceName = options.InstanceNameBytes();
    private long _malformed;

    /// <summary>Kernel messages dropped as malformed (too short, bad header, no container, broken framing).</summary>
    public long MalformedMessages => Interlocked.Read(ref _malformed);

    /// <summary>Whether the datagram came from the configured peer; anything else is logged (rate-limited) and ignored.</summary>
    public bool IsFromPeer(SocketAddress sender)
    {
        uint? port = NetlinkAddress.PortIdOf(sender);
        if (port == options.NetlinkPeer)
        {
            return true;
        }

        if (options.NetlinkPeer != 0 && port is uint other && other != 0)
        {
            // Another user-space peer (fake kernels in one namespace can share a group): expected, not worth a warning.
            if (logger.IsEnabled(LogLevel.Debug))
            {
                Log.OtherPeer(logger, other, options.NetlinkPeer);
            }
        }
        else if (limits.Stranger.TryEnter(out long suppressed))
        {
            Log.Stranger(logger, $"it came from netlink port id {port?.ToString(CultureInfo.InvariantCulture) ?? "?"}, not from {options.NetlinkPeer}", suppressed);
        }

        return false;
    }

    /// <summary>
    /// Looks at the first message of <paramref name="rest"/> (the part of a datagram not looked at yet), completes a
    /// waiting request or logs, and says what is left to do. <paramref name="consumed"/> is how far to move on:
    /// the message and its padding, or all of <paramref name="rest"/> when its framing is broken.
    /// </summary>
    public KernelMessageAction Inspect(ReadOnlySpan<byte> rest, out int consumed)
    {
        var messages = new NetlinkMessageEnumerator(rest);
        if (!messages.MoveNext())
        {
            // Broken framing (nlmsg_len under 16 or past the datagram): libnl stops there without a callback, so
            // C joold neither processes nor ACKs it. Same here, but counted and logged.
            consumed = rest.Length;
            Malformed($"{rest.Length} bytes that are not a whole netlink message (nlmsg_len out of bounds); dropped, not ACKed");
            return KernelMessageAction.None;
        }

        var message = messages.Current;
        consumed = rest.Length - messages.Remaining;
        if (connection.TryCompleteRequest(message))
        {
            return KernelMessageAction.None;
        }

        if (message.Type != connection.FamilyId)
        {
            LogForeign(message);
            return KernelMessageAction.None;
        }

        var inspected = KernelMessage.Inspect(message, _instanceName);
        if (message.Sequence != 0 && message.PortId == connection.PortId && inspected.Kind != KernelMessageKind.ErrorReply)
        {
            // A unicast answer to a request nobody waits for any more (it timed out): not a multicast, not ACKed.
            return KernelMessageAction.None;
        }

        switch (inspected.Kind)
        {
            case KernelMessageKind.TooShort:
                Malformed($"Message too short ({message.Bytes.Length} bytes); dropped and ACKed");
                return KernelMessageAction.AckOnly;
            case KernelMessageKind.BadHeader:
                Malformed($"{DescribeHeader(inspected)}; dropped and ACKed");
                return KernelMessageAction.AckOnly;
            case KernelMessageKind.OtherInstance:
                if (inspected.CaseOnlyMismatch && limits.CaseOnly.TryEnter(out long suppressedCase))
                {
                    Log.CaseOnlyMismatch(logger, Encoding.ASCII.GetString(inspected.InstanceName), options.Instance, suppressedCase);
                }
                else if (logger.IsEnabled(LogLevel.Debug))
                {
                    Log.OtherInstance(logger, KernelMessage.ToPrintable(inspected.InstanceName));
                }

                return KernelMessageAction.None;
            case KernelMessageKind.ErrorReply:
                if (limits.ErrorReply.TryEnter(out long suppressedError))
                {
                    Log.ErrorReply(logger, inspected.ErrorCode ?? 0, options.Instance, inspected.ErrorMessage, suppressedError);
                }

                return KernelMessageAction.None;
            case KernelMessageKind.NoContainer:
                Malformed("the message lacks a session container; dropped and ACKed");
                return KernelMessageAction.AckOnly;
            default:
                // The container is the first attribute, so its payload always starts right after its header.
                return new KernelMessageAction(Ack: true, Forward: true, JOOL_ATTRS_OFFSET + NLA_HDRLEN, inspected.Container.Length);
        }
    }

    private void Malformed(string reason)
    {
        Interlocked.Increment(ref _malformed);
        counters.Invalid(SessionSide.Local);
        if (limits.BadMessage.TryEnter(out long suppressed))
        {
            Log.BadMessage(logger, options.Instance, reason, suppressed);
        }
    }

    private void LogForeign(in NetlinkMessage message)
    {
        if (message.Type == NLMSG_ERROR && message.ErrorCode is int error && error != 0)
        {
            if (-error == Tmds.Linux.LibC.ENOENT)
            {
                // Genetlink's answer to a request for a family it does not know: ours was reloaded, or is gone.
                connection.CheckFamilySoon();
            }

            if (limits.ErrorReply.TryEnter(out long suppressed))
            {
                Log.ErrorReply(logger, -error, options.Instance, $"netlink error {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(-error)} (request seq {message.Sequence})", suppressed);
            }
        }
        else if (message.Type is not (NLMSG_ERROR or NLMSG_DONE or NLMSG_NOOP) && limits.Stranger.TryEnter(out long suppressed))
        {
            Log.Stranger(logger, $"message type {message.Type} is not the Jool family ({connection.FamilyId})", suppressed);
        }
    }

    private static string DescribeHeader(in KernelMessage message) => message.HeaderStatus switch
    {
        JoolHeaderStatus.BadMagic => "the Jool header's magic is not 'jool'",
        JoolHeaderStatus.VersionMismatch => $"Version mismatch: the kernel speaks Jool {JoolHeader.FormatVersion(JoolHeader.Version(message.Header))}, this daemon {JoolHeader.FormatVersion(JOOL_VERSION)}",
        JoolHeaderStatus.NotNat64 => $"the sender is not a NAT64 Jool (xt {JoolHeader.Translator(message.Header)})",
        _ => message.HeaderStatus.ToString(),
    };
}
