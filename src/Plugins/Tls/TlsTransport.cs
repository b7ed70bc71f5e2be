using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Joold.Diagnostics;
using Joold.Plugins.Tls.Credentials;
using Joold.Plugins.Tls.Protocol;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Tls;

/// <summary>
/// A peer transport over TCP and TLS 1.3 with mutual authentication: batches reach every peer once and in order,
/// across broken connections and restarts of either side, through per-peer queues with cumulative ACKs; a peer
/// that joins or lost its state is brought up to date by an advertisement of the local side. One object is both
/// the peer source (batches from peers) and the peer sink (batches for peers).
/// </summary>
/// <remarks>
/// <see cref="SendAsync"/> never waits: it copies the batch into each peer's queue (pooled buffers) and wakes the
/// connections' writers. Received batches go to the relay from the connection's reader; each is acknowledged once
/// the relay holds it.
/// </remarks>
public sealed class TlsTransport : ISessionSource, ISessionSink
{
    private readonly TlsSettings _settings;
    private readonly ILogger _logger;
    private readonly IServiceProvider? _services;
    private readonly TimeProvider _time;
    private readonly TlsTimings _timings;
    private readonly LinkContext _context;
    private readonly PeerDirectory _peers;
    private readonly RefusalLog _refusals;
    private readonly LinkManager _links;
    private readonly ResyncScheduler _resync;
    private readonly RateLimitedLog _overflowLog;
    private readonly RateLimitedLog _tooLargeLog;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _runEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TlsCredentials? _preloaded;
    private CredentialStore? _credentials;
    private Socket? _listener;
    private ITimer? _statusTimer;
    private TlsMeter? _meter;
    private int _running;
    private int _state; // 0 new, 1 started, 2 disposed

    public TlsTransport(TlsSettings settings, ILogger<TlsTransport> logger, IServiceProvider? services = null, TimeProvider? time = null)
        : this(settings, logger, services, time, credentials: null, timings: null)
    {
    }

    internal TlsTransport(TlsSettings settings, ILogger logger, IServiceProvider? services, TimeProvider? time, TlsCredentials? credentials, TlsTimings? timings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _services = services;
        _time = time ?? TimeProvider.System;
        _timings = timings ?? new TlsTimings();
        _preloaded = credentials;
        Incarnation = NewIncarnation();
        _resync = new ResyncScheduler(() => _services?.GetService<ISessionAdvertiser>(), settings.ResyncInterval, _timings.AdvertiseTimeout, _time, logger);
        _context = new LinkContext(logger, _time, _timings, Incarnation, services?.GetService<ITransportCounters>(), _resync.Request);
        _peers = new PeerDirectory(settings.Peers, settings.QueueCapacity);
        _refusals = new RefusalLog(_time, TimeSpan.FromMinutes(10));
        _links = new LinkManager(_context, _peers, () => _credentials!.Current, _refusals);
        _overflowLog = new RateLimitedLog(time: _time);
        _tooLargeLog = new RateLimitedLog(time: _time);
        Name = $"tls {settings.Listen?.ToString() ?? "(no listen)"} -> {(settings.Peers.Count == 0 ? "(no peers)" : string.Join(", ", settings.Peers))}";
    }

    public string Name { get; }

    public SessionSide Side => SessionSide.Peer;

    /// <summary>This process's incarnation, sent in every HELLO: random and new at each start.</summary>
    public ulong Incarnation { get; }

    /// <summary>The address and port accepted on, once started (the real port when 0 was configured).</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>Each peer's counters now.</summary>
    public IReadOnlyList<PeerStatus> Peers => _peers.All.Select(p => p.Status()).ToList();

    /// <summary>The <c>Joold.Tls</c> meter publishing <see cref="Peers"/>, once started; disposed with the transport.</summary>
    internal System.Diagnostics.Metrics.Meter? Meter => _meter?.Meter;

    /// <summary>The peers themselves (tests set up states that only a race reaches).</summary>
    internal IReadOnlyList<Peer> PeerStates => _peers.All;

    /// <summary>Connections refused for their certificate or a failed handshake, both directions.</summary>
    public long Refusals => _refusals.Count;

    /// <summary>Connections closed for a malformed frame or a protocol violation.</summary>
    public long MalformedFrames => _context.MalformedFrames;

    /// <summary>Advertisements the local side accepted on behalf of joining peers.</summary>
    public int Advertisements => _resync.Advertisements;

    /// <summary>Certificate reloads that changed something.</summary>
    public int CertificateReloads => _credentials?.Reloads ?? 0;

    /// <summary>Loads the certificates (unless the plugin already did) and binds the listening socket.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken)
    {
        int state = Interlocked.CompareExchange(ref _state, 1, 0);
        if (state == 1)
        {
            return ValueTask.CompletedTask;
        }

        ObjectDisposedException.ThrowIf(state == 2, this);
        try
        {
            var credentials = _preloaded ?? CredentialLoader.Load(_settings.Files);
            _listener = _settings.Listen is { } listen ? Listen(listen) : null;
            LocalEndPoint = (IPEndPoint?)_listener?.LocalEndPoint;
            _credentials = new CredentialStore(_settings.Files, credentials, _logger, _time, _timings.ExpiryWarning);
            _credentials.Changed += () => _links.CloseAll("certificates reloaded");
            _credentials.Start();
        }
        catch
        {
            _listener?.Dispose();
            _listener = null;
            _credentials?.Dispose();
            _credentials = null;
            Volatile.Write(ref _state, 0);
            throw;
        }

        _preloaded = null;

        // Resolved now, not in the constructor: the daemon's meter reads the relay, which is built from this sink.
        _meter = new TlsMeter(_peers, _time, _services?.GetService<JooldMeter>()?.Meter, () => Refusals, () => MalformedFrames);
        Log.Started(
            _logger,
            LocalEndPoint?.ToString() ?? "(nothing: dial only)",
            _settings.Peers.Count == 0 ? "nobody (accept only)" : string.Join(", ", _settings.Peers),
            _credentials.Current.Certificate.Subject,
            LinkManager.Hex(Incarnation));
        return ValueTask.CompletedTask;
    }

    /// <summary>Accepts and dials peers and hands their batches to <paramref name="writer"/> until cancelled or disposed.</summary>
    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_credentials is null)
        {
            throw new InvalidOperationException($"{Name} must be started before it runs.");
        }

        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        try
        {
            // Marked running first, then the state read: a concurrent dispose either sees the run and waits for
            // it, or the run sees the dispose and does nothing.
            if (Volatile.Read(ref _state) != 2)
            {
                await RunStartedAsync(writer, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _runEnded.TrySetResult();
        }
    }

    private async Task RunStartedAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = stop.Token;
        _context.Writer = writer;
        var tasks = new List<Task> { _resync.RunAsync(token) };
        if (_listener is not null)
        {
            tasks.Add(new InboundListener(_listener, _links, _context).RunAsync(token));
        }

        tasks.AddRange(_peers.Dialed.Select(peer => new Dialer(peer, _links, _context).RunAsync(token)));
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _statusTimer = _time.CreateTimer(_ => LogStatus(), null, _timings.StatusInterval, _timings.StatusInterval);
        }

        try
        {
            // Every loop runs until cancelled; one that ends sooner is a failure of this source, reported.
            var ended = await Task.WhenAny(tasks).ConfigureAwait(false);
            if (!token.IsCancellationRequested)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                await ended.ConfigureAwait(false);
                throw new InvalidOperationException($"{Name}: a loop ended on its own");
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // From now on received batches are neither taken nor acknowledged: peers resend them to the next incarnation.
            await _context.StopDeliveriesAsync().ConfigureAwait(false);
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues a copy of the batch for every peer and wakes their connections; never waits. True once queued (a
    /// peer whose queue was full lost its oldest batch instead, counted, and will be resynced).
    /// </summary>
    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) != 1 || cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromResult(false);
        }

        var container = batch.Entries.Span;
        if (container.Length is 0 or > FrameCodec.MaxContainer)
        {
            if (_tooLargeLog.TryEnter(out long suppressed))
            {
                Log.BatchTooLarge(_logger, container.Length, FrameCodec.MaxContainer, suppressed);
            }

            return ValueTask.FromResult(false);
        }

        foreach (var peer in _peers.All)
        {
            if (peer.Ignored)
            {
                continue;
            }

            if (!peer.Queue.Enqueue(container))
            {
                peer.CountDropped();
                peer.ResyncPending = true;
                if (_overflowLog.TryEnter(out long suppressed))
                {
                    Log.QueueOverflow(_logger, peer.Name, peer.Queue.Capacity, suppressed);
                }
            }

            peer.Active?.Wake();
        }

        return ValueTask.FromResult(true);
    }

    /// <summary>
    /// Stops accepting and dialing, lets each connection send what it holds (bounded), closes everything and
    /// returns the queues' buffers. Ends a pending <see cref="RunAsync"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        int state = Interlocked.Exchange(ref _state, 2);
        if (state == 2)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _meter?.Dispose();
        _listener?.Dispose();
        if (Volatile.Read(ref _running) != 0)
        {
            await _runEnded.Task.ConfigureAwait(false);
        }

        if (_statusTimer is not null)
        {
            await _statusTimer.DisposeAsync().ConfigureAwait(false);
        }

        await _links.StopAsync().ConfigureAwait(false);
        _credentials?.Dispose();
        foreach (var peer in _peers.All)
        {
            peer.Queue.Close();
        }

        _stop.Dispose();
    }

    private void LogStatus()
    {
        foreach (var status in Peers)
        {
            Log.PeerStatus(_logger, status.Name, status.Connected, status.Sent, status.Acknowledged, status.Resent, status.Dropped, status.Queued, status.Received, status.Duplicates, status.LastSeen?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never");
        }
    }

    private static Socket Listen(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                // "[::]:port" serves IPv4 peers too (they show up IPv4-mapped).
                socket.DualMode = true;
            }

            // A restarted daemon binds again at once, though its old connections linger in TIME_WAIT.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(128);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"cannot listen on TCP {endPoint}: {SocketText.Describe(e)}", e);
        }
    }

    private static ulong NewIncarnation()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            value = BitConverter.ToUInt64(bytes);
        }
        while (value == 0);
        return value;
    }
}
