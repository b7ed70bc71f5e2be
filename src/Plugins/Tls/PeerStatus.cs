namespace Joold.Plugins.Tls;

/// <summary>One peer's counters at one moment, for the Debug log, tests and metrics.</summary>
/// <param name="Name">"gw2.example.net:6443" for a dialed peer, the certificate's subject for one that dialed in.</param>
/// <param name="Connected">Whether a connection to it is up.</param>
/// <param name="Sent">Batches sent for the first time.</param>
/// <param name="Acknowledged">Batches the peer acknowledged (they left the queue).</param>
/// <param name="Resent">Batches sent again after a reconnect.</param>
/// <param name="Dropped">Batches dropped because its queue was full.</param>
/// <param name="Queued">Batches waiting for its acknowledgement now.</param>
/// <param name="Received">Batches from it handed to the relay.</param>
/// <param name="Duplicates">Batches from it dropped because they were already delivered.</param>
/// <param name="LastSeen">When the last frame from it arrived, if ever.</param>
public sealed record PeerStatus(
    string Name,
    bool Connected,
    long Sent,
    long Acknowledged,
    long Resent,
    long Dropped,
    int Queued,
    long Received,
    long Duplicates,
    DateTimeOffset? LastSeen);
