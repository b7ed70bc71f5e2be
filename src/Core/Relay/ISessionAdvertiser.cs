namespace Joold.Relay;

/// <summary>
/// Optional capability of a local side: ask it to send every session it holds again (Jool's JOOLD_ADVERTISE),
/// so that a peer that just joined catches up. Plugins register it beside their local source.
/// </summary>
public interface ISessionAdvertiser
{
    /// <summary>
    /// Requests the advertisement and waits for the local side's answer. Throws
    /// <see cref="InvalidOperationException"/> with the local side's own error text when it refuses, and
    /// <see cref="TimeoutException"/> when no answer comes within <paramref name="timeout"/>.
    /// </summary>
    ValueTask AdvertiseAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
