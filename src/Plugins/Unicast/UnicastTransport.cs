using System.Net;
using System.Net.Sockets;
using Joold.Diagnostics;
using Joold.Relay;
using Joold.Sessions;
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

    private readonly UnicastSettings _settings;
    private readonly ILogger<UnicastTransport> _logger;
    private readonly RateLimitedLog _unknownSenderLog = new();
    private readonly RateLimitedLog _invalidLog = new();
    private readonly RateLimitedLog _receiveFailureLog = new();
    private readonly RateLimitedLog _sendFailureLog = new();
    private Socket? _socket;
    private PeerTable? _peers;
    private string _localName;
    private long _unknownSenderDrops;
    private int _state; // 0 new, 1 started, 2 disposed

    public UnicastTransport(UnicastSettings settings, ILogger<UnicastTransport> logger)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _localName = settings.Listen.ToString();
        Name = $"unicast {settings.Listen} -> {string.Join(", ", settings.Peers)}";
    }

    public string Name { get; }

    public SessionSide Side => SessionSide.Peer;

    /// <summary>The address and port actually bound, once started (the real port when 0 was configured).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Datagrams dropped because their sender is not a configured peer.</summary>
    public long UnknownSenderDrops => Interlocked.Read(ref _unknownSenderDrops);

    /// <summary>Binds the socket. Safe to call again (the object is registered as both source and sink).</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken)
    {
        int state = Interlocked.CompareExchange(ref _state, 1, 0);
        if (state == 1)
        {
            return ValueTask.CompletedTask;
        }

        ObjectDisposedException.ThrowIf(state == 2, this);
        var listen = _settings.Listen;
        Socket? socket = null;
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
                SetReceiveBuffer(socket, size);
            }

            socket.Bind(listen);
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            Volatile.Write(ref _state, 0);
            throw new InvalidOperationException($"cannot bind the unicast socket to UDP {listen}: {SocketText.Describe(e)}", e);
        }

        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _localName = LocalEndPoint.ToString();
        _peers = new PeerTable(_settings.Peers, socket.AddressFamily);
        _socket = socket;
        Log.Listening(_logger, _localName, string.Join(", ", _settings.Peers));
        return ValueTask.CompletedTask;
    }

    /// <summary>Receives datagrams until cancelled: peers' go to the relay, others are dropped (see remarks).</summary>
    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var socket = _socket ?? throw new InvalidOperationException($"{Name} must be started before it runs.");
        var peers = _peers!;
        byte[] buffer = new byte[ReceiveBufferLength];
        int senderSize = SocketAddress.GetMaximumAddressSize(socket.AddressFamily);
        var sender = new SocketAddress(socket.AddressFamily, senderSize);
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                sender.Size = senderSize;
                length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, sender, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStopping(e, cancellationToken))
            {
                return;
            }
            catch (SocketException e)
            {
                if (_receiveFailureLog.TryEnter(out long suppressed))
                {
                    Log.ReceiveFailed(_logger, _localName, SocketText.Describe(e), suppressed);
                }

                continue;
            }

            if (!peers.Contains(sender))
            {
                if (_unknownSenderLog.TryEnter(out long suppressed))
                {
                    Log.UnknownSender(_logger, _localName, length, SocketText.DescribeEndPoint(sender), suppressed);
                }

                Interlocked.Increment(ref _unknownSenderDrops);

                continue;
            }

            var result = await writer.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            if (result == RelayResult.Invalid && _invalidLog.TryEnter(out long invalidSuppressed))
            {
                string reason = SessionContainer.Validate(buffer.AsSpan(0, length)).Describe();
                Log.InvalidDatagram(_logger, _localName, length, SocketText.DescribeEndPoint(sender), reason, invalidSuppressed);
            }
        }
    }

    /// <summary>Sends the batch as one datagram to every peer; true only if every send took the whole datagram.</summary>
    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException($"{Name} must be started before it sends.");
        var peers = _peers!;
        var payload = batch.Entries;
        bool all = true;
        for (int i = 0; i < peers.SendAddresses.Length; i++)
        {
            try
            {
                int sent = await socket.SendToAsync(payload, SocketFlags.None, peers.SendAddresses[i], cancellationToken).ConfigureAwait(false);
                all &= sent == payload.Length;
            }
            catch (SocketException e)
            {
                all = false;
                if (_sendFailureLog.TryEnter(out long suppressed))
                {
                    Log.SendFailed(_logger, _localName, payload.Length, peers.EndPoints[i].ToString(), SocketText.Describe(e), suppressed);
                }
            }
        }

        return all;
    }

    /// <summary>Closes the socket; a pending receive ends.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 2)
        {
            _socket?.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private bool IsStopping(Exception e, CancellationToken cancellationToken) =>
        (cancellationToken.IsCancellationRequested || Volatile.Read(ref _state) == 2)
        && e is OperationCanceledException or ObjectDisposedException or SocketException;

    /// <summary>SO_RCVBUFFORCE (as root, past net.core.rmem_max), else SO_RCVBUF (capped at rmem_max).</summary>
    private static void SetReceiveBuffer(Socket socket, int bytes)
    {
        const int SolSocket = 1;
        const int SoRcvBufForce = 33;
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = bytes;
        }
    }
}
