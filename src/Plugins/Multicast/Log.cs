using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Multicast;

/// <summary>The multicast plugin's log messages. Event ids 400-499; never reuse a retired id.</summary>
internal static partial class Log
{
    [LoggerMessage(400, LogLevel.Information, "Multicast socket ready: group {Group}, in interface {InInterface}, out interface {OutInterface}, ttl {Ttl}, receive buffer {ReceiveBuffer} bytes.")]
    public static partial void Started(ILogger logger, string group, string inInterface, string outInterface, int ttl, int receiveBuffer);

    [LoggerMessage(401, LogLevel.Warning, "The receive buffer of the multicast socket is {Actual} bytes, less than the {Requested} configured; run with CAP_NET_ADMIN or raise net.core.rmem_max.")]
    public static partial void ReceiveBufferLimited(ILogger logger, int actual, int requested);

    [LoggerMessage(402, LogLevel.Warning, "Could not send a batch of {Bytes} bytes to {Group}: {Reason} ({Suppressed} more failures not logged before this).")]
    public static partial void SendFailed(ILogger logger, int bytes, string group, string reason, long suppressed);

    [LoggerMessage(403, LogLevel.Information, "Sending to {Group} works again, after {Failures} failed sends.")]
    public static partial void SendRecovered(ILogger logger, string group, long failures);

    [LoggerMessage(404, LogLevel.Warning, "Ignored a datagram of {Bytes} bytes from {Sender}: {Reason} ({Suppressed} more not logged before this).")]
    public static partial void InvalidDatagram(ILogger logger, int bytes, string sender, string reason, long suppressed);

    [LoggerMessage(405, LogLevel.Warning, "Receiving from {Group} failed: {Reason} ({Suppressed} more failures not logged before this).")]
    public static partial void ReceiveFailed(ILogger logger, string group, string reason, long suppressed);

    [LoggerMessage(406, LogLevel.Information, "Joined {Group} again on in interface {InInterface}: the interface was created anew or routing now picks another one.")]
    public static partial void Rejoined(ILogger logger, string group, string inInterface);

    [LoggerMessage(407, LogLevel.Information, "Receiving peers' batches from {Group} from now on. C joold's datagrams carry no sequence numbers, so what peers sent before this, or what is lost on the way, is lost unnoticed: to bring this gateway up to date, run `joold advertise` on a peer, or use a transport that resyncs (Tls, Nats).")]
    public static partial void Receiving(ILogger logger, string group);
}
