namespace Joold.Relay;

/// <summary>
/// Offered by the writer the relay gives each source (test for it with <c>writer as ISessionBurstWriter</c>): a
/// source that received several batches at once (a recvmmsg(2) that found datagrams queued up under load) says so,
/// and sinks that can take them together (<see cref="ICoalescingSessionSink"/>) get the burst as one batch, for
/// example one JOOLD_ADD instead of one per datagram. Every batch is still validated and counted on its own, and
/// sinks that cannot coalesce get each one as it is written.
/// </summary>
public interface ISessionBurstWriter : ISessionBatchWriter
{
    /// <summary>
    /// As <see cref="ISessionBatchWriter.WriteAsync"/>; <paramref name="moreFollow"/> true promises that the source
    /// writes another batch of the same burst next, at once, without waiting for input. The burst ends with a write
    /// whose <paramref name="moreFollow"/> is false (whatever that batch's fate), or with <see cref="EndBurst"/>:
    /// then what was gathered goes to the sinks. A batch gathered for a sink reports
    /// <see cref="RelayResult.Accepted"/>; if that sink's queue is full when the burst ends, it is counted as dropped.
    /// </summary>
    ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, bool moreFollow, CancellationToken cancellationToken);

    /// <summary>Ends a burst without a batch (its last datagram was not written, for example a stranger's). Idempotent.</summary>
    void EndBurst();
}
