using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Joold.Configuration;
using Joold.Diagnostics;
using Joold.Relay;
using Joold.Sessions;
using Joold.Sockets;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Multicast;

/// <summary>
/// The peer side C joold speaks: one UDP socket bound to the group, which sends each local batch as one datagram
/// holding exactly the container payload, and hands every datagram it hears to the relay, whole. It is both the
/// peer source and the peer sink, like the single socket of netsocket.c.
/// </summary>
public sealed class MulticastTransport : ISessionSource, ISessionSink
{
    /// <summary>Bigger than any UDP payload (65,527 bytes over IPv6), so no datagram is ever cut.</summary>
    public const int ReceiveBufferLength = 64 * 1024;

    /// <summary>
    /// Datagrams one receive takes when several are waiting (one recvmmsg(2)); written as one burst, so the kernel
    /// gets them in one JOOLD_ADD. The slots' pages are touched only when a datagram reaches them.
    /// </summary>
    public const int BurstSlots = 8;

    /// <summary>The least time between two attempts to re-apply the interfaces after send failures.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly MulticastOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RateLimitedLog _sendFailureLog;
    private readonly RateLimitedLog _invalidLog;
    private readonly RateLimitedLog _receiveFailureLog;
    private readonly Lock _startLock = new();

    // Cancelled (never disposed: a RunAsync may still link to it) when the transport is disposed, so a receive
    // loop in its error pause ends at once.
    private readonly CancellationTokenSource _disposing = new();
    private volatile Socket? _socket;
    private GroupSender? _sender;
    private IPEndPoint? _group;
    private SocketAddress? _groupAddress;
    private ITimer? _refreshTimer;
    private long _failedSends;
    private long _lastRefresh;
    private volatile bool _disposed;

    public MulticastTransport(MulticastOptions options, ILogger<MulticastTransport> logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _sendFailureLog = new RateLimitedLog(time: _time);
        _invalidLog = new RateLimitedLog(time: _time);
        _receiveFailureLog = new RateLimitedLog(time: _time);
        Name = $"multicast {EndPointText.Format(options.Address, options.Port)}";
    }

    public string Name { get; private set; }

    public SessionSide Side => SessionSide.Peer;

    /// <summary>The group and port, once started.</summary>
    public IPEndPoint? Group => _group;

    /// <summary>The socket, once started (tests read its options back).</summary>
    internal Socket? Socket => _socket;

    /// <summary>The connected socket sends go through, once started; null if it could not be opened.</summary>
    internal GroupSender? Sender => _sender;

    /// <summary>
    /// Resolves the group, opens, binds and joins. Completes synchronously, so the socket belongs to the network
    /// namespace of the calling thread. A second call does nothing; a failed one leaves nothing open.
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

            var group = MulticastSocketFactory.ResolveGroup(_options);
            var socket = MulticastSocketFactory.Open(_options, group, out var receiveBuffer);
            _group = new IPEndPoint(group, _options.Port);
            _groupAddress = _group.Serialize();
            Name = $"multicast {_group}";
            _sender = GroupSender.TryOpen(_options, _group);
            _socket = socket;
            _refreshTimer = _time.CreateTimer(
                static state => ((MulticastTransport)state!).RefreshInterfaces(),
                this,
                _options.InterfaceRefreshInterval,
                _options.InterfaceRefreshInterval);

            Log.Started(_logger, _group.ToString(), _options.InInterface ?? "(any)", _options.OutInterface ?? "(routing)", _options.Ttl, receiveBuffer.Granted);
            if (receiveBuffer.IsCapped)
            {
                Log.ReceiveBufferLimited(_logger, receiveBuffer.Granted, receiveBuffer.Requested);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Receives datagrams until cancelled or disposed; each one goes to the relay as is, whatever its size or
    /// content. After a receive error the loop pauses (<see cref="DatagramReceiver"/>) before trying again.
    /// </summary>
    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var socket = _socket ?? throw new InvalidOperationException($"{Name} was not started.");
        var group = _group!;
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = stopping.Token;

        // One buffer and one address for the socket's whole life: nothing is allocated per datagram.
        using var receiver = new DatagramReceiver(socket, ReceiveBufferLength, OnReceiveError, _time, BurstSlots);
        var batch = receiver.Batch!;
        var burst = writer as ISessionBurstWriter;

        // Loss is silent on this wire (no sequence numbers): say so at the start, with the way to resync.
        Log.Receiving(_logger, group.ToString());
        int count;
        while ((count = await receiver.ReceiveManyAsync(token).ConfigureAwait(false)) >= 0)
        {
            for (int i = 0; i < count; i++)
            {
                var datagram = batch.Datagram(i);
                var result = burst is null
                    ? await writer.WriteAsync(datagram, token).ConfigureAwait(false)
                    : await burst.WriteAsync(datagram, moreFollow: i < count - 1, token).ConfigureAwait(false);
                if (result == RelayResult.Invalid && _invalidLog.TryEnter(out long hidden))
                {
                    // Only now is anything allocated: the sender's endpoint and the reason, for the log.
                    string from = group.Create(batch.Sender(i)).ToString() ?? "?";
                    Log.InvalidDatagram(_logger, datagram.Length, from, SessionContainer.Validate(datagram.Span).Describe(), hidden);
                }
            }
        }
    }

    /// <summary>
    /// Sends the batch as one datagram to the group. True only if the socket took the whole datagram; a failure
    /// (link down, no route, ...) is logged, rate-limited, and the next batch simply tries again. False, without
    /// trying, before <see cref="StartAsync"/> and once disposed. Through the connected <see cref="GroupSender"/>
    /// when it can; else, and to report what went wrong, through the unconnected socket.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null || _disposed)
        {
            return false;
        }

        if (_sender is { } sender && sender.TrySend(batch.Entries.Span))
        {
            NoteSuccess();
            return true;
        }

        string? reason;
        try
        {
            int sent = await DatagramSender.SendToAsync(socket, batch.Entries, _groupAddress!, cancellationToken).ConfigureAwait(false);
            if (sent == batch.Entries.Length)
            {
                NoteSuccess();
                return true;
            }

            reason = $"only {sent} bytes were sent";
        }
        catch (SocketException e)
        {
            reason = $"{e.Message} ({e.SocketErrorCode})";
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        if (!_disposed)
        {
            NoteFailure(socket, batch.Entries.Length, reason);
        }

        return false;
    }

    /// <summary>Closes the socket and stops the refresh timer; a pending <see cref="RunAsync"/> ends. Idempotent.</summary>
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
        _refreshTimer?.Dispose();
        _sender?.Dispose();
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnReceiveError(SocketException e)
    {
        if (_receiveFailureLog.TryEnter(out long suppressed))
        {
            Log.ReceiveFailed(_logger, _group!.ToString(), e.Message, suppressed);
        }
    }

    private void NoteSuccess()
    {
        // Read first: the common case (no failure before) costs one read and no write.
        if (Volatile.Read(ref _failedSends) != 0)
        {
            long failures = Interlocked.Exchange(ref _failedSends, 0);
            if (failures != 0)
            {
                Log.SendRecovered(_logger, _group!.ToString(), failures);
            }
        }
    }

    private void NoteFailure(Socket socket, int bytes, string reason)
    {
        Interlocked.Increment(ref _failedSends);
        if (_sendFailureLog.TryEnter(out long suppressed))
        {
            Log.SendFailed(_logger, bytes, _group!.ToString(), reason, suppressed);
        }

        // An interface deleted and created again has a new index: apply the configured ones again now, not only at
        // the next periodic refresh (at most once a second).
        long now = _time.GetTimestamp();
        long last = Volatile.Read(ref _lastRefresh);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= RefreshInterval) && Interlocked.CompareExchange(ref _lastRefresh, now, last) == last)
        {
            Refresh(socket);
        }
    }

    private void RefreshInterfaces()
    {
        var socket = _socket;
        if (socket is not null && !_disposed)
        {
            Refresh(socket);
        }
    }

    private void Refresh(Socket socket)
    {
        _sender?.Reconnect();
        if (MulticastSocketFactory.RefreshInterfaces(socket, _options, _group!.Address))
        {
            Log.Rejoined(_logger, _group.ToString(), _options.InInterface ?? "(any)");
        }
    }
}
