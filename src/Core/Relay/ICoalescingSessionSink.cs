namespace Joold.Relay;

/// <summary>
/// A sink that accepts the batches of one burst (see <see cref="ISessionBurstWriter"/>) as one batch: their entries
/// concatenated in order, which is itself a valid container. The relay gathers at most
/// <see cref="MaxCoalescedLength"/> bytes into one; a single batch longer than that still comes alone. The sink's
/// <see cref="ISessionSink.SendAsync"/> then reports for the whole: the relay counts every batch in it as delivered,
/// or every one as failed.
/// </summary>
public interface ICoalescingSessionSink : ISessionSink
{
    /// <summary>The most bytes of entries the relay gathers into one batch for this sink; 0 turns coalescing off.</summary>
    int MaxCoalescedLength { get; }
}
