using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Joold.Plugins.Nats;

/// <summary>
/// Makes sure the stream and this gateway's durable consumer exist: the stream is created when missing (file
/// storage, <see cref="NatsSettings.StreamSubjects"/>), an existing one is checked to store our subjects, and the
/// consumer is created (a first-time joiner: it replays the stream) or found again (a restart: it resumes).
/// </summary>
internal sealed class JetStreamSetup(NatsSettings settings, INatsJSContext jetStream, ILogger logger)
{
    /// <summary>How long JetStream remembers a message id to drop a retried publish (its own default).</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a delivered message may stay unacknowledged before the server delivers it again (after a crash,
    /// or when the kernel side lags that long).
    /// </summary>
    public static readonly TimeSpan AckWait = TimeSpan.FromSeconds(10);

    /// <summary>Messages delivered and not yet acknowledged, at most; the server waits beyond that.</summary>
    public const int MaxAckPending = 1024;

    private const int StreamNotFound = 10059;
    private const int StreamNameInUse = 10058;

    /// <summary>Finds or creates the stream; throws <see cref="NatsSetupException"/> when it cannot hold our batches.</summary>
    public async ValueTask EnsureStreamAsync(CancellationToken cancellationToken)
    {
        StreamInfo info;
        try
        {
            info = (await jetStream.GetStreamAsync(settings.Stream, cancellationToken: cancellationToken).ConfigureAwait(false)).Info;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == StreamNotFound)
        {
            info = await CreateStreamAsync(cancellationToken).ConfigureAwait(false);
        }

        var subjects = info.Config.Subjects;
        if (!SubjectPattern.AnyCovers(subjects, settings.GroupSubjects))
        {
            throw new NatsSetupException(
                $"stream {settings.Stream} exists but does not store {settings.GroupSubjects} (its subjects: {string.Join(", ", subjects ?? [])}); " +
                $"add \"{NatsSettings.StreamSubjects}\" or \"{settings.GroupSubjects}\" to it, or name another stream in 'stream'");
        }

        if (info.Config.MaxAge != settings.MaxAge)
        {
            Log.MaxAgeDiffers(logger, settings.Stream, info.Config.MaxAge, settings.MaxAge);
        }
    }

    /// <summary>Creates or finds this gateway's durable consumer; an existing one keeps its position.</summary>
    public async ValueTask<INatsJSConsumer> EnsureConsumerAsync(CancellationToken cancellationToken)
    {
        var config = new ConsumerConfig(settings.ConsumerName)
        {
            DurableName = settings.ConsumerName,
            Description = $"joold gateway {settings.Node} of group {settings.Instance}",
            FilterSubject = settings.GroupSubjects,
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = AckWait,
            MaxAckPending = MaxAckPending,
            MaxDeliver = -1,
        };
        INatsJSConsumer consumer;
        try
        {
            consumer = await jetStream.CreateOrUpdateConsumerAsync(settings.Stream, config, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == StreamNotFound)
        {
            // The stream went away (a wiped cluster): make it again, then the consumer.
            await EnsureStreamAsync(cancellationToken).ConfigureAwait(false);
            consumer = await jetStream.CreateOrUpdateConsumerAsync(settings.Stream, config, cancellationToken).ConfigureAwait(false);
        }

        Log.ConsumerReady(logger, settings.ConsumerName, settings.Stream, consumer.Info.NumPending, consumer.Info.Delivered?.ConsumerSeq ?? 0);
        return consumer;
    }

    private async ValueTask<StreamInfo> CreateStreamAsync(CancellationToken cancellationToken)
    {
        var duplicateWindow = settings.MaxAge < DuplicateWindow ? settings.MaxAge : DuplicateWindow;
        var config = new StreamConfig(settings.Stream, [NatsSettings.StreamSubjects])
        {
            Description = "joold session batches: one subject per gateway, joold.<instance>.<node>",
            Storage = StreamConfigStorage.File,
            Retention = StreamConfigRetention.Limits,
            Discard = StreamConfigDiscard.Old,
            MaxAge = settings.MaxAge,
            NumReplicas = settings.Replicas,
            DuplicateWindow = duplicateWindow,
        };
        try
        {
            var stream = await jetStream.CreateStreamAsync(config, cancellationToken).ConfigureAwait(false);
            Log.StreamCreated(logger, settings.Stream, NatsSettings.StreamSubjects, settings.Replicas, settings.MaxAge, duplicateWindow);
            return stream.Info;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == StreamNameInUse)
        {
            // Another gateway created it meanwhile.
            return (await jetStream.GetStreamAsync(settings.Stream, cancellationToken: cancellationToken).ConfigureAwait(false)).Info;
        }
        catch (NatsJSApiException e)
        {
            throw new NatsSetupException($"cannot create stream {settings.Stream} with subjects {NatsSettings.StreamSubjects}: {e.Error.Description} (error {e.Error.ErrCode})", e);
        }
    }
}
