using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Nats;

/// <summary>The plugin's log messages. Event ids 700-749 belong to Nats; never reuse a retired id.</summary>
internal static partial class Log
{
    [LoggerMessage(700, LogLevel.Information, "Nats transport: node {Node} publishes to {Subject} in stream {Stream} through {Servers}; durable consumer {Consumer} reads {GroupSubjects}.")]
    public static partial void Starting(ILogger logger, string node, string subject, string stream, string servers, string consumer, string groupSubjects);

    [LoggerMessage(701, LogLevel.Information, "Nats: created stream {Stream} (subjects {Subjects}, file storage, {Replicas} replica(s), max age {MaxAge}, duplicate window {DuplicateWindow}).")]
    public static partial void StreamCreated(ILogger logger, string stream, string subjects, int replicas, TimeSpan maxAge, TimeSpan duplicateWindow);

    [LoggerMessage(702, LogLevel.Warning, "Nats: stream {Stream} exists with max age {Actual}, not the configured {Configured}; 'max age' only applies when the plugin creates the stream, and a joiner replays {Actual} of history.")]
    public static partial void MaxAgeDiffers(ILogger logger, string stream, TimeSpan actual, TimeSpan configured);

    [LoggerMessage(703, LogLevel.Warning, "Nats: no connection to {Servers} at start ({Reason}); batches are buffered (up to {Buffer}) and the stream is set up once a server answers.")]
    public static partial void NoServerAtStart(ILogger logger, string servers, string reason, int buffer);

    [LoggerMessage(704, LogLevel.Warning, "Nats: disconnected from {Server}; reconnecting to any of {Servers}, batches are buffered meanwhile ({Suppressed} more not logged before this).")]
    public static partial void Disconnected(ILogger logger, string server, string servers, long suppressed);

    [LoggerMessage(705, LogLevel.Information, "Nats: connected to {Server}; {Buffered} batches buffered.")]
    public static partial void Connected(ILogger logger, string server, int buffered);

    [LoggerMessage(706, LogLevel.Warning, "Nats: publishing batch {MessageId} ({Length} bytes) to {Subject} failed: {Error}; retrying in {DelayMs} ms, {Buffered} more batches buffered ({Suppressed} more failures not logged before this).")]
    public static partial void PublishFailed(ILogger logger, string messageId, int length, string subject, string error, int delayMs, int buffered, long suppressed);

    [LoggerMessage(707, LogLevel.Warning, "Nats: the local buffer is full ({Capacity} batches waiting for the servers); a {Length}-byte batch was dropped, {Overflows} so far ({Suppressed} more not logged before this).")]
    public static partial void BufferFull(ILogger logger, int capacity, int length, long overflows, long suppressed);

    [LoggerMessage(708, LogLevel.Warning, "Nats: consuming {Consumer} from stream {Stream} failed: {Error}; retrying in {DelayMs} ms ({Suppressed} more failures not logged before this).")]
    public static partial void ConsumeFailed(ILogger logger, string consumer, string stream, string error, int delayMs, long suppressed);

    [LoggerMessage(709, LogLevel.Warning, "Nats: the {Length}-byte message on {Subject} is not a valid session container: {Reason}; discarded ({Suppressed} more not logged before this).")]
    public static partial void InvalidMessage(ILogger logger, string subject, int length, string reason, long suppressed);

    [LoggerMessage(710, LogLevel.Information, "Nats: publishing again after {Failures} failed attempts; {Buffered} batches buffered.")]
    public static partial void PublishingAgain(ILogger logger, long failures, int buffered);

    [LoggerMessage(711, LogLevel.Warning, "Nats: the relay's queue for the kernel is full; a batch from {Subject} goes back to the server for a later delivery ({Suppressed} more not logged before this).")]
    public static partial void RelayFull(ILogger logger, string subject, long suppressed);

    [LoggerMessage(712, LogLevel.Information, "Nats: durable consumer {Consumer} on stream {Stream}: {Pending} messages pending, {Delivered} delivered before (a new consumer replays the whole stream).")]
    public static partial void ConsumerReady(ILogger logger, string consumer, string stream, ulong pending, ulong delivered);

    [LoggerMessage(713, LogLevel.Warning, "Nats: stopped with {Count} batches that no server accepted; they are lost.")]
    public static partial void StoppedWithBuffered(ILogger logger, int count);

    [LoggerMessage(714, LogLevel.Warning, "Nats: setting up stream {Stream} failed: {Error}; retrying in {DelayMs} ms ({Suppressed} more failures not logged before this).")]
    public static partial void SetupFailed(ILogger logger, string stream, string error, int delayMs, long suppressed);

    [LoggerMessage(EventId = 715, Message = "Nats client: {Message}{Reason} ({Suppressed} more client messages not logged before this).")]
    public static partial void ClientSays(ILogger logger, LogLevel level, string message, string reason, long suppressed);

    [LoggerMessage(716, LogLevel.Warning, "Nats: the server reports an error: {Error} ({Suppressed} more not logged before this).")]
    public static partial void ServerError(ILogger logger, string error, long suppressed);
}
