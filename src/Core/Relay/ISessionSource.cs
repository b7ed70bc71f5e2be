namespace Joold.Relay;

/// <summary>Produces session batches: the kernel (local side) or a network transport (peer side).</summary>
public interface ISessionSource : IJooldComponent
{
    /// <summary>The side this source belongs to. Its batches go to the sinks of the other side only.</summary>
    SessionSide Side { get; }

    /// <summary>
    /// Receives until <paramref name="cancellationToken"/> is cancelled, writing each batch to
    /// <paramref name="writer"/>. Recoverable errors (a bad datagram, a transient socket error) are logged and the
    /// loop goes on; an exception ends this source only and is reported by the relay.
    /// </summary>
    Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken);
}
