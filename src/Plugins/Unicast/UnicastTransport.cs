using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Joold.Diagnostics;
using Joold.Relay;
using Joold.Sessions;
using Joold.Sockets;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Unicast;

/// <summary>
/// A peer transport over plain UDP unicast, one socket for both directions. Each batch leaves as one datagram
/// holding exactly the container payload (as C joold's multicast does), sent to every configured peer.
/// </summary>
/// <remarks>
/// Receiving is filtered by sender: a datagram whose source address (any port) is not the address of a
/// configured peer is dropped before the relay, so it is neither counted in NET_RCVD nor delivered; it is
/// logged (rate-limited) with the sender and counted in <see cref="UnknownSenderDrops"/>. This only keeps strays
/// out: UDP source addresses can be forged, so it is no authentication.
/// </remarks>
public sealed class UnicastTransport : ISessionSource, ISessionSink
{
    /// <summary>Holds any UDP payload (at most 65527 bytes), so no datagram is ever truncated.</summary>
    public const int ReceiveBufferLength = 64 * 1024;

    /// <summary>Datagrams one receive takes when several are waiting (one recvmmsg(2)), written as one burst.</summary>
    public const int BurstSlots = 8;

    private readonly UnicastSettings _settings;
    private readonly ILogger<UnicastTransport> _logger;
    private readonly TimeProvider _time;
    private readonly RateLimitedLog _unknownSenderLog;
    private readonly RateLimitedLog _invalidLog;
    private readonly RateLimitedLog _receiveFailureLog;
    private readonly RateLimitedLog _sendFailureLog;
    private readonly Lock _startLock = new();

    // Cancelled (never disposed: a RunAsync may still link to it) when the transport is disposed, so a receive
    // loop in its error pause ends at once.
    private readonly CancellationTokenSource _disposing = new();
    private volatile Socket? _socket;
    private PeerTable? _peers;
    private string _localName;
    private long _unknownSenderDrops;
    private long _receiveErrors;
    private volatile bool _disposed;

    public UnicastTransport(UnicastSettings settings, ILogger<UnicastTransport> logger, TimeProvider? time = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _unknownSenderLog = new RateLimitedLog(time: _time);
        _invalidLog = new RateLimitedLog(time: _time);
        _receiveFailureLog = new RateLimitedLog(time: _time);
        _sendFailureLog = new RateLimitedLog(time: _time);
        _localName = settings.Listen.ToString();
        Name = $"unicast {settings.Listen} -> {string.Join(", ", settings.Peers)}";
    }

    public string Name { get; }

    public SessionSide Side => SessionSide.Peer;

    /// <summary>The address and port actually bound, once started (the real port when 0 was configured).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Datagrams dropped because their sender is not a configured peer.</summary>
    public long UnknownSenderDrops => Interlocked.Read(ref _unknownSenderDrops);

    /// <summary>Receives that failed; the loop pauses after each one (<see cref="DatagramReceiver"/>).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>The socket, once started (tests make it fail).</summary>
    internal Socket? Socket => _socket;

    /// <summary>
    /// Binds the socket. A second call does nothing (the object is registered as both source and sink); a failed
    /// one leaves nothing open and may be tried again.
    /// </summary>
    public ValueTask StartAsync(CancellationToken cancellationToken)
    {
        lock (_startLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_socket is not null)
            {
                return ValueTask.CompletedTask;
            }

            var listen = _settings.Listen;
            Socket? socket = null;
            SocketBufferSize? receiveBuffer = null;
            try
            {
                socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                if (listen.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    // IPV6_V6ONLY = 0 so that "[::]:port" serves IPv4 peers too (they show up IPv4-mapped).
                    socket.DualMode = true;
                }

                if (_settings.ReceiveBufferSize is { } size)
                {
                    receiveBuffer = SocketBuffers.SetReceiveBuffer(socket.SafeHandle, size);
                }

                LocalBind.Bind(socket, listen);
            }
            catch (SocketException e)
            {
                socket?.Dispose();
                throw new InvalidOperationException($"cannot bind the unicast socket to UDP {listen} ('{UnicastOptions.ListenKey}'): {SocketText.Describe(e)}", e);
            }

            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
            _localName = LocalEndPoint.ToString();
            _peers = new PeerTable(_settings.Peers, socket.AddressFamily);
            _socket = socket;
            Log.Listening(_logger, _localName, string.Join(", ", _settings.Peers));
            if (receiveBuffer is { IsCapped: true } capped)
            {
                Log.ReceiveBufferLimited(_logger, _localName, capped.Granted, capped.Requested);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Receives datagrams until cancelled or disposed: peers' go to the relay, others are dropped (see remarks).
    /// After a receive error the loop pauses (<see cref="DatagramReceiver"/>), so a socket that keeps failing
    /// costs no CPU.
    /// </summary>
    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var socket = _socket ?? throw new InvalidOperationException($"{Name} must be started before it runs.");
        var peers = _peers!;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = stopping.Token;
        using var receiver = new DatagramReceiver(socket, ReceiveBufferLength, OnReceiveError, _time, BurstSlots);
        var batch = receiver.Batch!;
        var burst = writer as ISessionBurstWriter;

        // Loss is silent on this wire (no sequence numbers): say so at the start, with the way to resync.
        Log.Receiving(_logger, _localName);
        int count;
        while ((count = await receiver.ReceiveManyAsync(token).ConfigureAwait(false)) >= 0)
        {
            for (int i = 0; i < count; i++)
            {
                var sender = batch.Sender(i);
                var datagram = batch.Datagram(i);
                if (!peers.Contains(sender))
                {
                    if (_unknownSenderLog.TryEnter(out long suppressed))
                    {
                        Log.UnknownSender(_logger, _localName, datagram.Length, SocketText.DescribeEndPoint(sender), suppressed);
                    }

                    Interlocked.Increment(ref _unknownSenderDrops);
                    continue;
                }

                var result = burst is null
                    ? await writer.WriteAsync(datagram, token).ConfigureAwait(false)
                    : await burst.WriteAsync(datagram, moreFollow: i < count - 1, token).ConfigureAwait(false);
                if (result == RelayResult.Invalid && _invalidLog.TryEnter(out long invalidSuppressed))
                {
                    string reason = SessionContainer.Validate(datagram.Span).Describe();
                    Log.InvalidDatagram(_logger, _localName, datagram.Length, SocketText.DescribeEndPoint(sender), reason, invalidSuppressed);
                }
            }

            // The burst's last datagram may have been a stranger's: what was gathered goes out now.
            burst?.EndBurst();
        }
    }

    /// <summary>
    /// Sends the batch as one datagram to every peer; true only if every send took the whole datagram. False,
    /// without trying, before <see cref="StartAsync"/> and once disposed.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null || _disposed)
        {
            return false;
        }

        var peers = _peers!;
        var payload = batch.Entries;
        bool all = true;
        for (int i = 0; i < peers.SendAddresses.Length; i++)
        {
            try
            {
                int sent = await DatagramSender.SendToAsync(socket, payload, peers.SendAddresses[i], cancellationToken).ConfigureAwait(false);
                all &= sent == payload.Length;
            }
            catch (SocketException e)
            {
                all = false;
                if (!_disposed && _sendFailureLog.TryEnter(out long suppressed))
                {
                    Log.SendFailed(_logger, _localName, payload.Length, peers.EndPoints[i].ToString(), SocketText.Describe(e), suppressed);
                }
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        return all;
    }

    /// <summary>Closes the socket; a pending <see cref="RunAsync"/> ends. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_startLock)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
        }

        // Outside the lock: cancelling may run the receive loop's continuation on this thread.
        _disposing.Cancel();
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnReceiveError(SocketException e)
    {
        Interlocked.Increment(ref _receiveErrors);
        if (_receiveFailureLog.TryEnter(out long suppressed))
        {
            Log.ReceiveFailed(_logger, _localName, SocketText.Describe(e), suppressed);
        }
    }
}
