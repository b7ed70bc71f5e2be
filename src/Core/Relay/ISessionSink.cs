namespace Joold.Relay;

/// <summary>Consumes session batches: the kernel (local side) or a network transport (peer side).</summary>
/// <remarks>
/// <para>What the relay guarantees: each sink has its own bounded queue and one pump, so
/// <see cref="SendAsync"/> is never called concurrently for the same sink, and a slow or failing sink holds up no
/// other. What it demands:</para>
/// <list type="bullet">
/// <item><description><see cref="SendAsync"/> may run on any thread, including a source's receive thread: an idle
/// pump resumes synchronously on the thread that wrote the batch. So it must not block: do what completes now and
/// otherwise return a pending task.</description></item>
/// <item><description>Before a successful <see cref="IJooldComponent.StartAsync"/>, or once
/// <see cref="IAsyncDisposable.DisposeAsync"/> began, it returns <see langword="false"/> (not delivered) and never
/// throws; the relay counts a sink failure.</description></item>
/// <item><description>A cancelled token makes it end promptly, returning <see langword="false"/> or throwing
/// <see cref="OperationCanceledException"/>; the relay cancels only to stop hard, and counts the batch as
/// lost.</description></item>
/// <item><description>A failure to deliver (link down, peer gone, queue full) is reported by returning
/// <see langword="false"/>, logged rate-limited by the sink if it wants to say why; an exception is logged and
/// counted the same way.</description></item>
/// </list>
/// </remarks>
public interface ISessionSink : IJooldComponent
{
    /// <summary>The side this sink belongs to. It receives the batches of the other side's sources.</summary>
    SessionSide Side { get; }

    /// <summary>
    /// Delivers one batch. Returns whether it was delivered (for a socket: the datagram was accepted); false,
    /// without throwing, before start and after disposal. Must not block (see the remarks of
    /// <see cref="ISessionSink"/>). <see cref="SessionBatch.Entries"/> must not be used after the returned task
    /// completes: the relay reuses the memory.
    /// </summary>
    ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken);
}
