using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.JoolNetlink;

/// <summary>The plugin's log messages. Event ids 300-399 belong to JoolNetlink; never reuse a retired id.</summary>
internal static partial class Log
{
    [LoggerMessage(300, LogLevel.Information, "Opening kernel socket (Instance name: {Instance}, netlink peer {Peer}).")]
    public static partial void Opening(ILogger logger, string instance, uint peer);

    [LoggerMessage(301, LogLevel.Information, "Netlink receive buffer: asked for {Requested} bytes, the kernel reports {Actual} ({How}).")]
    public static partial void ReceiveBuffer(ILogger logger, int requested, int actual, string how);

    [LoggerMessage(302, LogLevel.Information, "Kernel socket ready: port id {PortId}, family 'Jool' = {Family}, group 'joold' = {Group}.")]
    public static partial void Ready(ILogger logger, uint portId, ushort family, uint group);

    [LoggerMessage(303, LogLevel.Information, "Jool instance '{Instance}' is alive in this network namespace.")]
    public static partial void InstanceAlive(ILogger logger, string instance);

    [LoggerMessage(304, LogLevel.Warning, "Jool has no instance named '{Instance}' in this network namespace (names are case-sensitive): no session will flow until it exists. Create it with `jool instance add {Instance} --netfilter` (or fix \"instance\" in the configuration).")]
    public static partial void InstanceDead(ILogger logger, string instance);

    [LoggerMessage(305, LogLevel.Warning, "Could not check Jool instance '{Instance}': {Reason}. Continuing.")]
    public static partial void HelloFailed(ILogger logger, string instance, string reason);

    [LoggerMessage(306, LogLevel.Warning, "Kernel sent invalid data for instance '{Instance}': {Reason} ({Suppressed} more not logged before this).")]
    public static partial void BadMessage(ILogger logger, string instance, string reason, long suppressed);

    [LoggerMessage(307, LogLevel.Warning, "The kernel module returned error {Code} for instance '{Instance}': {Message} (not ACKed; {Suppressed} more not logged before this).")]
    public static partial void ErrorReply(ILogger logger, int code, string instance, string message, long suppressed);

    [LoggerMessage(308, LogLevel.Warning, "Ignoring sessions of Jool instance '{Theirs}': it differs from the configured instance '{Ours}' only by case, and Jool matches names case-sensitively, so our ACKs and JOOLD_ADDs could not reach it. If '{Theirs}' is the instance to synchronize, set \"instance\" to exactly '{Theirs}' ({Suppressed} more not logged before this).")]
    public static partial void CaseOnlyMismatch(ILogger logger, string theirs, string ours, long suppressed);

    [LoggerMessage(309, LogLevel.Warning, "The relay rejected a kernel batch of instance '{Instance}': {Reason} ({Suppressed} more not logged before this).")]
    public static partial void InvalidBatch(ILogger logger, string instance, string reason, long suppressed);

    [LoggerMessage(310, LogLevel.Warning, "Netlink receive buffer overrun (ENOBUFS): kernel messages were lost; consider a larger \"receive buffer\" ({Suppressed} more not logged before this).")]
    public static partial void Overrun(ILogger logger, long suppressed);

    [LoggerMessage(311, LogLevel.Warning, "Could not send {What} to netlink port id {Peer}: {Error} ({Suppressed} more not logged before this).")]
    public static partial void SendFailed(ILogger logger, string what, uint peer, SocketError error, long suppressed);

    [LoggerMessage(312, LogLevel.Warning, "Error receiving packet from kernelspace: {Error} ({Suppressed} more not logged before this).")]
    public static partial void ReceiveFailed(ILogger logger, string error, long suppressed);

    [LoggerMessage(313, LogLevel.Warning, "Ignored a netlink message that is not Jool's: {Reason} ({Suppressed} more not logged before this).")]
    public static partial void Stranger(ILogger logger, string reason, long suppressed);

    [LoggerMessage(314, LogLevel.Warning, "The relay has not started and the {Capacity} kernel batches held for it fill the room: further ones are dropped (counted as overruns) and not ACKed.")]
    public static partial void StashFull(ILogger logger, int capacity);

    [LoggerMessage(315, LogLevel.Warning, "A peer batch of {Length} bytes does not fit one netlink attribute; not sent to the kernel ({Suppressed} more not logged before this).")]
    public static partial void BatchTooLarge(ILogger logger, int length, long suppressed);

    [LoggerMessage(316, LogLevel.Debug, "Ignored a multicast of Jool instance '{Instance}'.")]
    public static partial void OtherInstance(ILogger logger, string instance);

    [LoggerMessage(317, LogLevel.Information, "Kernel socket closed (instance '{Instance}').")]
    public static partial void Closed(ILogger logger, string instance);

    [LoggerMessage(318, LogLevel.Warning, "Gave up sending {What} to netlink port id {Peer}: its receive queue stayed full for {Milliseconds} ms (only a user-space netlink peer does that, never the kernel) ({Suppressed} more not logged before this).")]
    public static partial void SendAbandoned(ILogger logger, string what, uint peer, long milliseconds, long suppressed);

    [LoggerMessage(319, LogLevel.Warning, "Jool's generic netlink family is gone from netlink port id {Peer}: {Reason}. No session flows until it is back (the Jool module reloaded, or the netlink peer restarted); checking again every {Seconds} s.")]
    public static partial void FamilyGone(ILogger logger, uint peer, string reason, long seconds);

    [LoggerMessage(320, LogLevel.Warning, "Jool's generic netlink family changed at netlink port id {Peer}: family id {Family} (was {OldFamily}), group 'joold' {Group} (was {OldGroup}){Why}. Rejoined: kernel sessions are heard again. Check that instance '{Instance}' exists and has ss-enabled true.")]
    public static partial void FamilyRejoined(ILogger logger, string instance, uint peer, ushort family, ushort oldFamily, uint group, uint oldGroup, string why);

    [LoggerMessage(321, LogLevel.Information, "Jool's generic netlink family is back at netlink port id {Peer}, unchanged: family id {Family}, group 'joold' {Group}.")]
    public static partial void FamilyBack(ILogger logger, uint peer, ushort family, uint group);

    [LoggerMessage(322, LogLevel.Debug, "Ignored a netlink datagram from port id {Sender}, not from the netlink peer {Peer} (fake kernels in one network namespace can share a multicast group).")]
    public static partial void OtherPeer(ILogger logger, uint sender, uint peer);
}
