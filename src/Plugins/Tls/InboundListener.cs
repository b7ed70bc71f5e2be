using System.Net;
using System.Net.Sockets;
using Joold.Diagnostics;

namespace Joold.Plugins.Tls;

/// <summary>
/// Accepts peers on the listening socket. Each accepted socket is authenticated on its own task, at most
/// <see cref="MaxHandshakes"/> at a time (more are refused, so a flood of half-open handshakes cannot pile up);
/// once handed to its peer, a connection no longer counts.
/// </summary>
internal sealed class InboundListener(Socket listener, LinkManager links, LinkContext context)
{
    public const int MaxHandshakes = 64;

    private static readonly TimeSpan ErrorPause = TimeSpan.FromMilliseconds(100);

    private readonly RateLimitedLog _failureLog = new(time: context.Time);
    private int _inHandshake;

    /// <summary>Accepts until cancelled (or the socket is closed by the transport's dispose).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var handshakes = new List<Task>();
        try
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e) when (!cancellationToken.IsCancellationRequested)
                {
                    // Out of descriptors, say: pause rather than spin.
                    if (_failureLog.TryEnter(out long suppressed))
                    {
                        Log.AcceptFailed(context.Logger, SocketText.Describe(e), suppressed);
                    }

                    await Task.Delay(ErrorPause, context.Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                handshakes.RemoveAll(t => t.IsCompleted);
                if (Interlocked.Increment(ref _inHandshake) > MaxHandshakes)
                {
                    Interlocked.Decrement(ref _inHandshake);
                    links.Refuse((socket.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "?", "dialed in", $"more than {MaxHandshakes} handshakes at once");
                    socket.Dispose();
                    continue;
                }

                handshakes.Add(HandshakeAsync(socket, cancellationToken));
            }
        }
        catch (Exception e) when ((e is OperationCanceledException or ObjectDisposedException) && cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await Task.WhenAll(handshakes.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task HandshakeAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            await links.AcceptAsync(socket, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException or SocketException)
        {
            // Stopping, or a connection that failed before it was handed over (refusals are logged where found).
        }
        finally
        {
            Interlocked.Decrement(ref _inHandshake);
        }
    }
}
