namespace Joold.Transports.Conformance;

/// <summary>What becomes of the batches a node sends while its peer is gone.</summary>
public enum PeerGone
{
    /// <summary>They are lost (a datagram nobody hears); the peer gets what is sent once it is back.</summary>
    Lost,

    /// <summary>They wait (a queue, a server, a broker) and reach the peer, in order, once it is back.</summary>
    Queued,
}
