namespace Joold.Relay;

/// <summary>Produces session batches: the kernel (local side) or a network transport (peer side).</summary>
/// <remarks>
/// <para>The relay calls <see cref="RunAsync"/> once, on a thread-pool thread, after every component started; it
/// cancels the token to stop, then disposes the component. What it demands:</para>
/// <list type="bullet">
/// <item><description>Before a successful <see cref="IJooldComponent.StartAsync"/>, <see cref="RunAsync"/> throws
/// <see cref="InvalidOperationException"/>.</description></item>
/// <item><description>It returns (or throws <see cref="OperationCanceledException"/>) when its token is cancelled or
/// the component is disposed, and never returns on its own otherwise: the relay treats that as the source having
/// lost its input, and the daemon stops.</description></item>
/// <item><description>Recoverable errors (a bad datagram, a transient socket error) are logged, rate-limited, and
/// the loop goes on; an exception ends this source only and is reported by the relay. A receive error that
/// persists must not spin a core: after an error the loop pauses (a bounded back-off, reset by the next success)
/// before it tries again.</description></item>
/// <item><description>Every datagram or message received goes to the writer whole, valid or not: the writer
/// validates and counts it. Only what cannot reach the writer at all (bad framing below the container) is counted by
/// the source itself, through <see cref="Stats.ITransportCounters"/>.</description></item>
/// <item><description>The memory handed to <see cref="ISessionBatchWriter.WriteAsync"/> must stay unchanged until the
/// returned task completes; after that the source may reuse it.</description></item>
/// </list>
/// </remarks>
public interface ISessionSource : IJooldComponent
{
    /// <summary>The side this source belongs to. Its batches go to the sinks of the other side only.</summary>
    SessionSide Side { get; }

    /// <summary>
    /// Receives until <paramref name="cancellationToken"/> is cancelled or the component is disposed, writing each
    /// batch to <paramref name="writer"/>. Throws <see cref="InvalidOperationException"/> before a successful start.
    /// See the remarks of <see cref="ISessionSource"/> for errors and pauses.
    /// </summary>
    Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken);
}
