using Joold.Relay;

namespace Joold.Stats;

/// <summary>
/// The counters a plugin may bump itself: losses that happen below the relay, where the relay cannot see them.
/// Everything else (batches received, sent, dropped, refused) the relay counts on its own.
/// </summary>
public interface ITransportCounters
{
    /// <summary>Data lost before it reached the relay, such as a netlink socket overrun (ENOBUFS).</summary>
    void Overrun();

    /// <summary>A message from <paramref name="origin"/> too broken to reach the relay (bad framing or header).</summary>
    void Invalid(SessionSide origin);
}
