using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Joold.Stats;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Joold.Plugins.Nats;

/// <summary>
/// Acknowledges a consumed message once the kernel sink has handled it, not merely once the relay queued it.
/// </summary>
/// <remarks>
/// The relay gives a source no per-batch receipt, but it counts every batch its local sink handled
/// (<see cref="StatsSnapshot.LocalDeliveredPackets"/> when sent, <see cref="StatsSnapshot.SinkFailures"/> when
/// refused), and its local pump is first in, first out. So the n-th batch this source handed to the relay is
/// settled once that sum has grown by n since the source started: message n is acknowledged then. With the
/// JoolNetlink sink that is after its JOOLD_ADD went into the kernel (or was refused and logged). An idle relay
/// sends on the caller's thread, so in steady state the mark is already passed when the write returns and the
/// acknowledgement goes out at once; under load the pending acknowledgements wait here, in order.
/// Anything else that grows the sum (another peer source's batches, a peer sink's failure) can only make an
/// acknowledgement earlier, never hold one back forever: at worst it is "the relay holds it for the kernel".
/// Without statistics (a host that registers none) every accepted batch is settled at once.
/// </remarks>
internal sealed class DeliveryAcks<T>
{
    private static readonly TimeSpan LagPoll = TimeSpan.FromMilliseconds(2);

    private readonly IJooldStatistics? _statistics;
    private readonly Channel<Pending> _pending;
    private readonly long _baseline;
    private long _written;
    private int _pendingCount;
    private long _acknowledged;
    private long _ackFailures;

    public DeliveryAcks(IJooldStatistics? statistics)
    {
        _statistics = statistics;
        _baseline = statistics is null ? 0 : Settled();

        // Bounded well above the consumer's MaxAckPending: the server stops delivering before this fills.
        _pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(JetStreamSetup.MaxAckPending * 2)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Messages acknowledged after their delivery.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>
    /// Call once the relay accepted <paramref name="message"/>'s batch: acknowledges it now if the kernel sink
    /// already handled it, or queues it for <see cref="RunAsync"/>.
    /// </summary>
    public ValueTask AcceptedAsync(INatsJSMsg<T> message, CancellationToken cancellationToken)
    {
        long mark = _baseline + ++_written;
        if (Volatile.Read(ref _pendingCount) == 0 && Settled() >= mark)
        {
            return AckAsync(message, cancellationToken);
        }

        Interlocked.Increment(ref _pendingCount);
        return _pending.Writer.WriteAsync(new Pending(message, mark), cancellationToken);
    }

    /// <summary>Acknowledges queued messages as the kernel sink catches up, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryPeek(out var pending))
                {
                    if (Settled() < pending.Mark)
                    {
                        // Only while the kernel sink lags: a short pause instead of a per-batch signal.
                        await Task.Delay(LagPoll, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    reader.TryRead(out _);
                    Interlocked.Decrement(ref _pendingCount);
                    await AckAsync(pending.Message, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unacknowledged messages are delivered again after the ack wait: nothing is lost.
        }
    }

    /// <summary>Acknowledgements that could not be sent (connection lost): the server delivers those again.</summary>
    public long AckFailures => Interlocked.Read(ref _ackFailures);

    // Pooled: an acknowledgement that waits for the connection would otherwise cost a state machine box.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AckAsync(INatsJSMsg<T> message, CancellationToken cancellationToken)
    {
        try
        {
            await message.AckAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _acknowledged);
        }
        catch (NatsException)
        {
            // A redelivery after the ack wait repeats a JOOLD_ADD, which the kernel takes as an update.
            Interlocked.Increment(ref _ackFailures);
        }
    }

    private long Settled()
    {
        if (_statistics is null)
        {
            return long.MaxValue;
        }

        var snapshot = _statistics.GetSnapshot();
        return snapshot.LocalDeliveredPackets + snapshot.SinkFailures;
    }

    private readonly record struct Pending(INatsJSMsg<T> Message, long Mark);
}
