using System.Net;
using System.Net.Sockets;
using Joold.Plugins.Tls.Credentials;

namespace Joold.Plugins.Tls;

/// <summary>
/// Turns sockets into authenticated connections and gives each to its peer: dialing, accepting, the HELLO
/// exchange, and the hand-over that keeps one connection per peer. When two connections join the same two
/// nodes (each dialed the other), both nodes keep the one dialed by the higher incarnation; a connection from a
/// restarted peer (new incarnation) always replaces the old one.
/// </summary>
internal sealed class LinkManager(LinkContext context, PeerDirectory peers, Func<TlsCredentials> credentials, RefusalLog refusals)
{
    private int _stopped;

    /// <summary>
    /// Dials <paramref name="target"/> for <paramref name="peer"/> and hands the connection over. Returns it once
    /// it runs, or null when it was not needed (a duplicate, or a peer found to be this node or another entry).
    /// Throws when the dial, the handshake or the HELLO exchange fails.
    /// </summary>
    public async Task<Connection?> DialAsync(Peer peer, HostPort target, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(context.Timings.HandshakeTimeout);
        var (socket, stream) = await Handshake.DialAsync(target, credentials(), timeout.Token).ConfigureAwait(false);
        var connection = new Connection(context, socket, stream, dialed: true, Describe(socket.RemoteEndPoint));
        bool started = false;
        try
        {
            await connection.ExchangeHellosAsync(timeout.Token).ConfigureAwait(false);
            if (connection.RemoteIncarnation == context.Incarnation)
            {
                Ignore(peer, "it is this node itself");
                return null;
            }

            if (peers.Bind(peer, connection.RemoteCertificate) is { } other)
            {
                Ignore(peer, $"it is the same node as {other.Name} ({connection.RemoteCertificate.Subject})");
                return null;
            }

            started = await AttachAsync(peer, connection).ConfigureAwait(false);
            return started ? connection : null;
        }
        finally
        {
            if (!started)
            {
                connection.Abandon("not used");
            }
        }
    }

    /// <summary>Authenticates an accepted socket, reads its HELLO and hands it to its peer, which owns it from then on.</summary>
    public async Task AcceptAsync(Socket socket, CancellationToken cancellationToken)
    {
        string remote = Describe(socket.RemoteEndPoint);
        string address = (socket.RemoteEndPoint as IPEndPoint)?.Address is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : remote;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(context.Timings.HandshakeTimeout);
        System.Net.Security.SslStream stream;
        try
        {
            stream = await Handshake.AcceptAsync(socket, credentials(), timeout.Token).ConfigureAwait(false);
        }
        catch (PeerRefusedException e)
        {
            Refuse(address, "dialed in", e.Message);
            return;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Refuse(address, "dialed in", "the TLS handshake did not finish in time");
            return;
        }

        var connection = new Connection(context, socket, stream, dialed: false, remote);
        bool started = false;
        try
        {
            await connection.ExchangeHellosAsync(timeout.Token).ConfigureAwait(false);
            if (connection.RemoteIncarnation == context.Incarnation)
            {
                // This node dialed itself; the dialing side says so.
                return;
            }

            var peer = peers.ForAccepted(connection.RemoteCertificate);
            started = await AttachAsync(peer, connection).ConfigureAwait(false);
        }
        catch (Exception e) when ((e is IOException or InvalidDataException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            Refuse(address, "dialed in", $"no valid HELLO after the handshake: {(e is OperationCanceledException ? "timed out" : e.Message)}");
            return;
        }
        finally
        {
            if (!started)
            {
                connection.Abandon("not used");
            }
        }
    }

    /// <summary>Counts a refused peer and logs it once per address and reason (then rate-limited).</summary>
    public void Refuse(string address, string direction, string reason)
    {
        if (refusals.ShouldLog(address, reason, out long suppressed))
        {
            Log.Refused(context.Logger, address, direction, reason, suppressed);
        }
    }

    /// <summary>Closes every connection now (new certificates: they reconnect and re-authenticate).</summary>
    public void CloseAll(string reason)
    {
        foreach (var peer in peers.All)
        {
            peer.Active?.Close(reason);
        }
    }

    /// <summary>
    /// Stop: no more hand-overs; every connection sends what it has queued and its last ACK, then closes (at most
    /// the drain timeout); returns when all have ended.
    /// </summary>
    public async Task StopAsync()
    {
        Volatile.Write(ref _stopped, 1);
        foreach (var peer in peers.All)
        {
            // Wait for hand-overs in progress, so none starts a connection after this.
            await peer.HandOver.WaitAsync().ConfigureAwait(false);
            peer.HandOver.Release();
        }

        var active = peers.All.Select(p => p.Active).OfType<Connection>().ToList();
        await Task.WhenAll(active.Select(c => c.FinishAsync())).ConfigureAwait(false);
        await Task.WhenAll(active.Select(c => (Task)c.Completion)).ConfigureAwait(false);
    }

    private async Task<bool> AttachAsync(Peer peer, Connection connection)
    {
        await peer.HandOver.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _stopped) != 0 || peer.Ignored)
            {
                return false;
            }

            var current = peer.Active;
            if (current is { IsOpen: true }
                && current.RemoteIncarnation == connection.RemoteIncarnation
                && connection.DialerIncarnation < current.DialerIncarnation)
            {
                Log.ConnectionReplaced(context.Logger, peer.Name, connection.Remote, connection.Direction, $"the peer is already connected through {current.Remote}");
                return false;
            }

            if (current is not null)
            {
                Log.ConnectionReplaced(context.Logger, peer.Name, current.Remote, current.Direction, $"replaced by the connection {connection.Direction} {connection.Remote}");
                current.Close($"replaced by the connection {connection.Direction} {connection.Remote}");
                await current.Completion.ConfigureAwait(false);
            }

            bool first = peer.RemoteIncarnation == 0;
            bool restarted = !first && peer.RemoteIncarnation != connection.RemoteIncarnation;
            if (first || restarted)
            {
                // A new process on the other side: its sequence numbers start again.
                peer.RemoteIncarnation = connection.RemoteIncarnation;
                peer.Delivered = 0;
            }

            bool overflowed = peer.ResyncPending;
            peer.ResyncPending = false;
            peer.Identity ??= connection.RemoteCertificate.Subject;
            peer.Activate(connection);
            connection.Start(peer, Ended);
            Log.Connected(context.Logger, peer.Name, connection.Direction, connection.Remote, connection.RemoteCertificate.Subject, Hex(connection.RemoteIncarnation), peer.Queue.Count);
            string? resync = first ? $"{peer.Name} joined" : restarted ? $"{peer.Name} restarted" : overflowed ? $"{peer.Name} missed batches (its queue overflowed)" : null;
            if (resync is not null)
            {
                context.RequestResync(resync);
            }

            return true;
        }
        finally
        {
            peer.HandOver.Release();
        }
    }

    private void Ended(Connection connection, string reason)
    {
        // Every connection that was handed over says once that it ended, so connections and disconnections pair up.
        var peer = connection.Peer!;
        peer.Deactivate(connection);
        Log.Disconnected(context.Logger, peer.Name, connection.Remote, reason, peer.Queue.Count);
    }

    private void Ignore(Peer peer, string problem)
    {
        peer.Ignored = true;
        peer.Queue.Close();
        Log.PeerIgnored(context.Logger, peer.Name, problem);
    }

    public static string Hex(ulong incarnation) => incarnation.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(EndPoint? endPoint) => endPoint is IPEndPoint { Address.IsIPv4MappedToIPv6: true } mapped
        ? new IPEndPoint(mapped.Address.MapToIPv4(), mapped.Port).ToString()
        : endPoint?.ToString() ?? "(unknown)";
}
