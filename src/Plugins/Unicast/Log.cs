using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Unicast;

/// <summary>The plugin's log messages. Event ids 550-599 belong to Unicast; never reuse a retired id.</summary>
internal static partial class Log
{
    [LoggerMessage(550, LogLevel.Information, "Unicast transport listening on UDP {EndPoint}; peers: {Peers}.")]
    public static partial void Listening(ILogger logger, string endPoint, string peers);

    [LoggerMessage(551, LogLevel.Warning, "Unicast {EndPoint}: dropped a {Length}-byte datagram from {Sender}, which is not a configured peer ({Suppressed} more not logged before this).")]
    public static partial void UnknownSender(ILogger logger, string endPoint, int length, string sender, long suppressed);

    [LoggerMessage(552, LogLevel.Warning, "Unicast {EndPoint}: the {Length}-byte datagram from {Sender} is not a valid session container: {Reason} ({Suppressed} more not logged before this).")]
    public static partial void InvalidDatagram(ILogger logger, string endPoint, int length, string sender, string reason, long suppressed);

    [LoggerMessage(553, LogLevel.Warning, "Unicast {EndPoint}: receive failed: {Error} ({Suppressed} more failures not logged before this).")]
    public static partial void ReceiveFailed(ILogger logger, string endPoint, string error, long suppressed);

    [LoggerMessage(554, LogLevel.Warning, "Unicast {EndPoint}: sending a {Length}-byte batch to peer {Peer} failed: {Error} ({Suppressed} more failures not logged before this).")]
    public static partial void SendFailed(ILogger logger, string endPoint, int length, string peer, string error, long suppressed);

    [LoggerMessage(555, LogLevel.Warning, "Unicast {EndPoint}: the receive buffer is {Actual} bytes, less than the {Requested} configured; run with CAP_NET_ADMIN or raise net.core.rmem_max.")]
    public static partial void ReceiveBufferLimited(ILogger logger, string endPoint, int actual, int requested);

    [LoggerMessage(556, LogLevel.Information, "Unicast {EndPoint}: receiving peers' batches from now on. C joold's datagrams carry no sequence numbers, so what peers sent before this, or what is lost on the way, is lost unnoticed: to bring this gateway up to date, run `joold advertise` on a peer, or use a transport that resyncs (Tls, Nats).")]
    public static partial void Receiving(ILogger logger, string endPoint);
}
