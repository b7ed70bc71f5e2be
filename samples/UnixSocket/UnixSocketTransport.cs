using System.Net.Sockets;
using Joold.Diagnostics;
using Joold.Relay;
using Joold.Sessions;
using Microsoft.Extensions.Logging;

namespace UnixSocket;

/// <summary>
/// A peer-side transport over Unix datagram sockets, for a program on the same machine that carries sessions where
/// no plugin does: each batch from the kernel goes to <c>peer</c> as one datagram, and each datagram that arrives
/// on <c>listen</c> is one batch for the kernel. It follows the rules in Joold.Core's ISessionSink,
/// ISessionSource and IJooldComponent documentation; the comments name them.
/// </summary>
public sealed class UnixSocketTransport(string listenPath, string peerPath, TimeProvider time, ILogger<UnixSocketTransport> logger)
    : ISessionSource, ISessionSink
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    private readonly UnixDomainSocketEndPoint _peer = new(peerPath);
    private readonly CancellationTokenSource _disposing = new();
    private readonly RateLimitedLog _sendFailures = new(time: time);
    private readonly RateLimitedLog _receiveFailures = new(time: time);
    private readonly Lock _lock = new();
    private Socket? _socket;
    private bool _disposed;

    public string Name => $"unix socket {listenPath} -> {peerPath}";

    public SessionSide Side => SessionSide.Peer;

    /// <summary>Opens what can fail. Once started, starting again does nothing; after dispose, it throws.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_socket is null)
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                try
                {
                    socket.Bind(new UnixDomainSocketEndPoint(listenPath));
                }
                catch (SocketException e)
                {
                    socket.Dispose(); // A failed start owns nothing.
                    throw new InvalidOperationException($"cannot listen on {listenPath}: {e.Message} (if no other joold uses it, delete it)", e);
                }

                _socket = socket;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends one batch without blocking: the socket completes at once or later. Before start or after dispose, and
    /// when the peer is not there, the batch is not delivered (false), which the relay counts.
    /// </summary>
    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        var socket = Volatile.Read(ref _socket);
        if (socket is null)
        {
            return false;
        }

        try
        {
            await socket.SendToAsync(batch.Entries, SocketFlags.None, _peer, cancellationToken);
            return true;
        }
        catch (SocketException e)
        {
            if (_sendFailures.TryEnter(out long suppressed))
            {
                logger.LogWarning("{Name}: cannot send to {Peer}: {Error} ({Suppressed} more not logged).", Name, peerPath, e.Message, suppressed);
            }

            return false;
        }
        catch (ObjectDisposedException)
        {
            return false; // Disposed while sending.
        }
    }

    /// <summary>
    /// Hands every datagram to the relay until the token is cancelled or the transport is disposed. After a receive
    /// error it pauses, longer each time up to 5 s, so a socket that keeps failing does not spin a core.
    /// </summary>
    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposing.IsCancellationRequested, this);
        var socket = Volatile.Read(ref _socket) ?? throw new InvalidOperationException($"{Name} was not started.");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        byte[] buffer = new byte[SessionContainer.MaxPayload];
        var pause = FirstPause;
        try
        {
            while (true)
            {
                int length;
                try
                {
                    length = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                    pause = FirstPause;
                }
                catch (SocketException e)
                {
                    if (_receiveFailures.TryEnter(out long suppressed))
                    {
                        logger.LogWarning("{Name}: receive failed: {Error}; retrying in {Pause} ({Suppressed} more not logged).", Name, e.Message, pause, suppressed);
                    }

                    await Task.Delay(pause, time, stop.Token);
                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
                    continue;
                }

                // The relay checks the container, counts it and keeps its own copy: the buffer is ours again after.
                await writer.WriteAsync(buffer.AsMemory(0, length), stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && _disposing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Disposed: the loop ends quietly. A cancelled token ends it with OperationCanceledException.
        }
    }

    /// <summary>Closes the socket, ends a pending receive loop and removes the socket file. Safe to call twice.</summary>
    public ValueTask DisposeAsync()
    {
        Socket? socket;
        lock (_lock)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            socket = _socket;
            _socket = null;
        }

        _disposing.Cancel();
        if (socket is not null)
        {
            socket.Dispose();
            File.Delete(listenPath);
        }

        return ValueTask.CompletedTask;
    }
}
