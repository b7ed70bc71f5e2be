using Joold.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Tls;

/// <summary>
/// Keeps one "peers" entry connected: dials, authenticates, exchanges HELLOs and hands the connection to the
/// transport; after a failure or a disconnect it waits (capped exponential back-off with jitter) and dials again.
/// While the peer is connected through the connection it dialed in, it waits for that one to end instead.
/// </summary>
internal sealed class Dialer(Peer peer, LinkManager links, LinkContext context)
{
    private readonly ReconnectBackoff _backoff = new(context.Timings.ReconnectInitial, context.Timings.ReconnectCap);
    private static readonly TimeSpan RepeatLogInterval = TimeSpan.FromMinutes(1);

    private string? _lastFailure;
    private long _lastLogged;
    private long _suppressed;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var target = peer.Dialed!;
        while (!cancellationToken.IsCancellationRequested && !peer.Ignored)
        {
            if (peer.Active is { IsOpen: true } other)
            {
                await other.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            Connection? connection;
            try
            {
                connection = await links.DialAsync(peer, target, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (PeerRefusedException e)
            {
                // Its certificate is wrong: logged once per reason, like a peer refused when it dials in.
                links.Refuse(target.ToString(), "dialed", e.Message);
                await Task.Delay(_backoff.Next(), context.Time, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e)
            {
                await FailedAsync(Reason(e), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (connection is null)
            {
                // A duplicate of a live connection, or a peer that turned out to be ignored.
                continue;
            }

            _lastFailure = null;
            long attached = context.Time.GetTimestamp();
            await connection.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (context.Since(attached) >= context.Timings.StableConnection)
            {
                _backoff.Reset();
            }

            await Task.Delay(_backoff.Next(), context.Time, cancellationToken).ConfigureAwait(false);
        }

        // An entry found to be this node or a duplicate is done, but the run goes on until it is stopped.
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }

    private async Task FailedAsync(string reason, CancellationToken cancellationToken)
    {
        var delay = _backoff.Next();

        // A new reason is always worth a line; the same one again only once a minute.
        if (reason != _lastFailure || _lastLogged == 0 || context.Since(_lastLogged) >= RepeatLogInterval)
        {
            Log.DialFailed(context.Logger, peer.Name, reason, (long)delay.TotalMilliseconds, _suppressed);
            _suppressed = 0;
            _lastLogged = context.Time.GetTimestamp();
        }
        else
        {
            _suppressed++;
        }

        _lastFailure = reason;
        await Task.Delay(delay, context.Time, cancellationToken).ConfigureAwait(false);
    }

    private static string Reason(Exception e) => e switch
    {
        System.Net.Sockets.SocketException socket => SocketText.Describe(socket),
        OperationCanceledException => "timed out",
        _ => Handshake.Innermost(e),
    };
}
