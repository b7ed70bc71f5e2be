using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Tls;

/// <summary>The plugin's log messages. Event ids 600-649 belong to Tls; never reuse a retired id.</summary>
internal static partial class Log
{
    [LoggerMessage(600, LogLevel.Information, "Tls transport: listening on TCP {Listen}; dialing {Peers}; this node is {Subject}, incarnation {Incarnation}.")]
    public static partial void Started(ILogger logger, string listen, string peers, string subject, string incarnation);

    [LoggerMessage(601, LogLevel.Information, "Tls certificate {Subject} ({File}) is valid until {NotAfter}, {Days} days from now.")]
    public static partial void CertificateValidity(ILogger logger, string subject, string file, string notAfter, string days);

    [LoggerMessage(602, LogLevel.Warning, "Tls certificate {Subject} ({File}) expires on {NotAfter}, in {Days} days: renew it (new files are read on SIGHUP or when they change, no restart needed).")]
    public static partial void CertificateExpiresSoon(ILogger logger, string subject, string file, string notAfter, string days);

    [LoggerMessage(603, LogLevel.Error, "Tls certificate {Subject} ({File}) expired on {NotAfter}: peers refuse it; renew it (new files are read on SIGHUP or when they change).")]
    public static partial void CertificateExpired(ILogger logger, string subject, string file, string notAfter);

    [LoggerMessage(604, LogLevel.Information, "Tls certificates reloaded ({Trigger}): {Subject}, valid until {NotAfter}; connections are re-established with them.")]
    public static partial void Reloaded(ILogger logger, string trigger, string subject, string notAfter);

    [LoggerMessage(605, LogLevel.Debug, "Tls certificates re-read ({Trigger}): unchanged.")]
    public static partial void ReloadUnchanged(ILogger logger, string trigger);

    [LoggerMessage(606, LogLevel.Error, "Tls certificates not reloaded ({Trigger}); the current ones stay in use: {Error}")]
    public static partial void ReloadFailed(ILogger logger, string trigger, string error);

    [LoggerMessage(607, LogLevel.Information, "Tls peer {Peer} connected ({Direction} {Remote}, {Subject}, incarnation {Incarnation}); {Queued} batches queued for it.")]
    public static partial void Connected(ILogger logger, string peer, string direction, string remote, string subject, string incarnation, int queued);

    [LoggerMessage(608, LogLevel.Information, "Tls peer {Peer} disconnected ({Remote}): {Reason}; {Queued} batches queued for it.")]
    public static partial void Disconnected(ILogger logger, string peer, string remote, string reason, int queued);

    [LoggerMessage(609, LogLevel.Warning, "Tls peer {Peer}: cannot connect: {Reason}; retrying in {DelayMs} ms ({Suppressed} more failures not logged before this).")]
    public static partial void DialFailed(ILogger logger, string peer, string reason, long delayMs, long suppressed);

    [LoggerMessage(610, LogLevel.Warning, "Tls: refused {Remote} ({Direction}): {Reason} ({Suppressed} more refusals for this address and reason not logged before this).")]
    public static partial void Refused(ILogger logger, string remote, string direction, string reason, long suppressed);

    [LoggerMessage(611, LogLevel.Warning, "Tls peer {Peer} ({Remote}): {Problem}; connection closed ({Suppressed} more not logged before this).")]
    public static partial void Malformed(ILogger logger, string peer, string remote, string problem, long suppressed);

    [LoggerMessage(612, LogLevel.Warning, "Tls peer {Peer}: its queue is full ({Capacity} batches); the oldest was dropped and it will be resynced ({Suppressed} more drops not logged before this).")]
    public static partial void QueueOverflow(ILogger logger, string peer, int capacity, long suppressed);

    [LoggerMessage(613, LogLevel.Information, "Tls: asking the local side to advertise every session ({Reasons}).")]
    public static partial void ResyncRequested(ILogger logger, string reasons);

    [LoggerMessage(614, LogLevel.Warning, "Tls: the advertisement failed: {Error}; trying again in {DelaySeconds} s.")]
    public static partial void ResyncFailed(ILogger logger, string error, double delaySeconds);

    [LoggerMessage(615, LogLevel.Information, "Tls: no local side can advertise its sessions (no ISessionAdvertiser is registered); a joining peer gets new sessions only.")]
    public static partial void NoAdvertiser(ILogger logger);

    [LoggerMessage(616, LogLevel.Debug, "Tls peer {Peer}: connected {Connected}, batches sent {Sent}, acked {Acked}, resent {Resent}, dropped {Dropped}, queued {Queued}; received {Received}, duplicates dropped {Duplicates}; last seen {LastSeen}.")]
    public static partial void PeerStatus(ILogger logger, string peer, bool connected, long sent, long acked, long resent, long dropped, int queued, long received, long duplicates, string lastSeen);

    [LoggerMessage(617, LogLevel.Warning, "Tls peer {Peer}: {Problem}; it is not dialed again.")]
    public static partial void PeerIgnored(ILogger logger, string peer, string problem);

    [LoggerMessage(618, LogLevel.Debug, "Tls peer {Peer}: closing the connection {Remote} ({Direction}): {Reason}.")]
    public static partial void ConnectionReplaced(ILogger logger, string peer, string remote, string direction, string reason);

    [LoggerMessage(619, LogLevel.Warning, "Tls peer {Peer} skipped {Count} batches (its queue for this node overflowed); it resyncs this node itself.")]
    public static partial void ReceiveGap(ILogger logger, string peer, ulong count);

    [LoggerMessage(620, LogLevel.Warning, "Tls peer {Peer} sent a {Length}-byte batch that is not a valid session container: {Reason} ({Suppressed} more not logged before this).")]
    public static partial void InvalidBatch(ILogger logger, string peer, int length, string reason, long suppressed);

    [LoggerMessage(621, LogLevel.Warning, "Tls: a {Length}-byte batch is larger than a frame carries ({Max} bytes); not sent ({Suppressed} more not logged before this).")]
    public static partial void BatchTooLarge(ILogger logger, int length, int max, long suppressed);

    [LoggerMessage(622, LogLevel.Information, "Tls: the local side advertised its sessions.")]
    public static partial void Advertised(ILogger logger);

    [LoggerMessage(623, LogLevel.Warning, "Tls: accepting a connection failed: {Error} ({Suppressed} more not logged before this).")]
    public static partial void AcceptFailed(ILogger logger, string error, long suppressed);

    [LoggerMessage(624, LogLevel.Warning, "Tls: the advertisement failed again: {Error}; gave up after {Attempts} attempts (run `joold advertise` if a peer lacks sessions).")]
    public static partial void ResyncGaveUp(ILogger logger, string error, int attempts);
}
