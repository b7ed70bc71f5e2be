using System.Security.Cryptography.X509Certificates;

namespace Joold.Plugins.Tls;

/// <summary>
/// Every peer this node knows: the dialed ones from the start, and nodes that dialed in, added on their first
/// connection. A connection belongs to the peer whose certificate subject it presented before, or else to the
/// dialed peer whose host its certificate names. Reading the list is lock-free (copy on write).
/// </summary>
internal sealed class PeerDirectory
{
    private readonly Lock _lock = new();
    private readonly int _queueCapacity;
    private Peer[] _all;

    public PeerDirectory(IReadOnlyList<HostPort> dialed, int queueCapacity)
    {
        _queueCapacity = queueCapacity;
        Dialed = dialed.Select(d => new Peer(d.ToString(), d, queueCapacity)).ToArray();
        _all = [.. Dialed];
    }

    /// <summary>One per "peers" entry, in order.</summary>
    public IReadOnlyList<Peer> Dialed { get; }

    /// <summary>A snapshot of every peer (dialed and dialed-in), for sending.</summary>
    public Peer[] All => Volatile.Read(ref _all);

    /// <summary>The peer an accepted connection with <paramref name="certificate"/> belongs to; a new one if none.</summary>
    public Peer ForAccepted(X509Certificate2 certificate)
    {
        lock (_lock)
        {
            foreach (var peer in _all)
            {
                if (!peer.Ignored && peer.Matches(certificate))
                {
                    return peer;
                }
            }

            var added = new Peer(certificate.Subject, dialed: null, _queueCapacity) { Identity = certificate.Subject };
            Volatile.Write(ref _all, [.. _all, added]);
            return added;
        }
    }

    /// <summary>
    /// Records that <paramref name="peer"/> presented <paramref name="certificate"/>. Returns the other peer that
    /// already stands for that node (a second "peers" entry reaching the same node), or null.
    /// </summary>
    public Peer? Bind(Peer peer, X509Certificate2 certificate)
    {
        lock (_lock)
        {
            var other = _all.FirstOrDefault(p => p != peer && !p.Ignored && p.Identity == certificate.Subject);
            if (other is null)
            {
                peer.Identity ??= certificate.Subject;
            }

            return other;
        }
    }
}
