using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Joold.Diagnostics;
using Joold.Relay;
using Joold.Sessions;
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

    /// <summary>How long the receive loop pauses after a socket error, so a persistent error cannot spin.</summary>
    private static readonly TimeSpan ReceiveErrorPause = TimeSpan.FromMilliseconds(100);

    /// <summary>The least time between two attempts to re-apply the interfaces after send failures.</summary>
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private readonly MulticastOptions _options;
    private readonly ILogger _logger;
    private readonly RateLimitedLog _sendFailureLog = new();
    private readonly RateLimitedLog _invalidLog = new();
    private readonly RateLimitedLog _receiveFailureLog = new();
    private readonly Lock _startLock = new();
    private Socket? _socket;
    private IPEndPoint? _group;
    private SocketAddress? _groupAddress;
    private Timer? _refreshTimer;
    private long _failedSends;
    private long _lastRefresh;
    private volatile bool _disposed;

    public MulticastTransport(MulticastOptions options, ILogger<MulticastTransport> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Name = $"multicast {FormatEndpoint(options.Address, options.Port)}";
    }

    public string Name { get; private set; }

    public SessionSide Side => SessionSide.Peer;

    /// <summary>The group and port, once started.</summary>
    public IPEndPoint? Group => _group;

    /// <summary>The socket, once started (tests read its options back).</summary>
    internal Socket? Socket => _socket;

    /// <summary>
    /// Resolves the group, opens, binds and joins. Completes synchronously, so the socket belongs to the network
    /// namespace of the calling thread. A second call does nothing.
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
            var socket = MulticastSocketFactory.Open(_options, group, out int receiveBuffer);
            _group = new IPEndPoint(group, _options.Port);
            _groupAddress = _group.Serialize();
            Name = $"multicast {_group}";
            _socket = socket;
            _refreshTimer = new Timer(
                static state => ((MulticastTransport)state!).RefreshInterfaces(),
                this,
                _options.InterfaceRefreshInterval,
                _options.InterfaceRefreshInterval);

            // The kernel reports twice what it grants (the other half is its bookkeeping).
            int granted = receiveBuffer / 2;
            Log.Started(_logger, _group.ToString(), _options.InInterface ?? "(any)", _options.OutInterface ?? "(routing)", _options.Ttl, granted);
            if (_options.ReceiveBuffer > 0 && granted < _options.ReceiveBuffer)
            {
                Log.ReceiveBufferLimited(_logger, granted, _options.ReceiveBuffer);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Receives datagrams until cancelled; each one goes to the relay as is, whatever its size or content.</summary>
    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var socket = _socket ?? throw new InvalidOperationException($"{Name} was not started.");
        var group = _group!;

        // One buffer and one address for the socket's whole life: nothing is allocated per datagram.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferLength, pinned: true);
        var sender = new SocketAddress(socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, sender, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (_disposed && e is ObjectDisposedException or SocketException)
            {
                break;
            }
            catch (SocketException e)
            {
                if (_receiveFailureLog.TryEnter(out long suppressed))
                {
                    Log.ReceiveFailed(_logger, group.ToString(), e.Message, suppressed);
                }

                await Task.Delay(ReceiveErrorPause, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var datagram = buffer.AsMemory(0, length);
            var result = await writer.WriteAsync(datagram, cancellationToken).ConfigureAwait(false);
            if (result == RelayResult.Invalid && _invalidLog.TryEnter(out long hidden))
            {
                // Only now is anything allocated: the sender's endpoint and the reason, for the log.
                string from = group.Create(sender).ToString() ?? "?";
                Log.InvalidDatagram(_logger, length, from, SessionContainer.Validate(datagram.Span).Describe(), hidden);
            }
        }
    }

    /// <summary>
    /// Sends the batch as one datagram to the group. True only if the socket took the whole datagram; a failure
    /// (link down, no route, ...) is logged, rate-limited, and the next batch simply tries again.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null || _disposed)
        {
            return false;
        }

        string? reason;
        try
        {
            int sent = await socket.SendToAsync(batch.Entries, SocketFlags.None, _groupAddress!, cancellationToken).ConfigureAwait(false);
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

    public ValueTask DisposeAsync()
    {
        lock (_startLock)
        {
            _disposed = true;
            _refreshTimer?.Dispose();
            _socket?.Dispose();
        }

        return ValueTask.CompletedTask;
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
        long now = Stopwatch.GetTimestamp();
        long last = Volatile.Read(ref _lastRefresh);
        if (Stopwatch.GetElapsedTime(last, now) >= RefreshInterval && Interlocked.CompareExchange(ref _lastRefresh, now, last) == last)
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
        if (MulticastSocketFactory.RefreshInterfaces(socket, _options, _group!.Address))
        {
            Log.Rejoined(_logger, _group.ToString(), _options.InInterface ?? "(any)");
        }
    }

    private static string FormatEndpoint(string address, int port) =>
        address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:{port}" : $"{address}:{port}";
}
