namespace Joold.Relay;

/// <summary>Consumes session batches: the kernel (local side) or a network transport (peer side).</summary>
public interface ISessionSink : IJooldComponent
{
    /// <summary>The side this sink belongs to. It receives the batches of the other side's sources.</summary>
    SessionSide Side { get; }

    /// <summary>
    /// Delivers one batch. Returns whether it was delivered (for a socket: the datagram was accepted). Called by
    /// one relay pump at a time, never concurrently for the same sink. <see cref="SessionBatch.Entries"/> must not
    /// be used after the returned task completes.
    /// </summary>
    ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken);
}
