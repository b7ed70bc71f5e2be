using System.Buffers;
using System.Net.Sockets;
using Joold.Plugins.JoolNetlink.Jool;
using Joold.Plugins.JoolNetlink.Kernel;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.Logging;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink;

/// <summary>
/// The local side of the daemon: one generic netlink socket to the Jool module (or to a fake at
/// <see cref="JoolNetlinkOptions.NetlinkPeer"/>). As a source it forwards the kernel's session multicasts and ACKs
/// each one; as a sink it hands peer batches to the kernel with JOOLD_ADD; as an advertiser it sends
/// JOOLD_ADVERTISE. This class is the three contracts and their lifetime rules; the work is done by
/// <see cref="KernelConnection"/> (the socket), <see cref="KernelMessageInspector"/> (what to forward and ACK),
/// <see cref="KernelBatchForwarder"/> (kernel to relay) and <see cref="EarlyBatchStash"/> (before the relay runs).
/// </summary>
/// <remarks>
/// <para>
/// Instance names are matched <b>exactly</b> (byte for byte), as the kernel matches them, not case-insensitively as
/// C joold does (spec 5.8). With C joold's rule, a configured "nat64" forwards the multicasts of instance "NAT64"
/// while every ACK and JOOLD_ADD it sends for "nat64" is refused by the kernel: sessions from the peers are lost
/// without a word and the kernel is never ACKed. Matching exactly, such multicasts are ignored and not ACKed, and a
/// rate-limited warning names both spellings and says what to fix, so nothing is lost silently. The startup HELLO
/// also warns when the configured instance does not exist.
/// </para>
/// <para>
/// Kernel error replies are logged and never ACKed (C joold ACKs them, which can loop forever, spec 6.2). Every
/// other message of our instance, and every message too broken to tell its instance, is ACKed exactly once after
/// the relay has taken it, as C joold does.
/// </para>
/// <para>
/// No thread is ever blocked: a send the peer refuses because its queue is full (only a user-space peer's ever is)
/// is retried on the clock and given up after <see cref="KernelConnection.SendGiveUpAfter"/>, counted in
/// <see cref="SendsAbandoned"/>.
/// </para>
/// </remarks>
public sealed class JoolNetlinkChannel : ISessionSource, ICoalescingSessionSink, ISessionAdvertiser
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(2);

    private readonly JoolNetlinkOptions _options;
    private readonly ITransportCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly KernelLogLimits _limits;
    private readonly byte[] _instanceName;
    private readonly byte[] _addBuffer = new byte[JoolRequest.MaxAddSize];
    private readonly Lock _addLock = new();
    private volatile Started? _started;
    private int _disposed;

    /// <summary>Creates the channel; nothing is opened before <see cref="StartAsync"/>.</summary>
    /// <param name="options">The plugin's settings.</param>
    /// <param name="counters">Where overruns and malformed kernel messages are counted.</param>
    /// <param name="logger">The channel's log.</param>
    /// <param name="time">The clock of timeouts, retries and log rate limits; <see cref="TimeProvider.System"/> when null.</param>
    public JoolNetlinkChannel(JoolNetlinkOptions options, ITransportCounters counters, ILogger<JoolNetlinkChannel> logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _limits = new KernelLogLimits(_time);
        _instanceName = options.InstanceNameBytes();
        Name = options.NetlinkPeer == 0
            ? $"jool netlink (instance '{options.Instance}')"
            : $"jool netlink (instance '{options.Instance}', netlink peer {options.NetlinkPeer})";
    }

    public string Name { get; }

    public SessionSide Side => SessionSide.Local;

    /// <summary>
    /// Peer batches that queued up are handed to the kernel together, as one JOOLD_ADD whose container holds all
    /// their entries, byte for byte (Jool walks every entry of the container, spec 4.6): at most
    /// <see cref="JoolRequest.MaxCoalescedPayload"/> bytes, so the message stays far below 64 KiB and the netlink
    /// socket's send limit.
    /// </summary>
    public int MaxCoalescedLength => JoolRequest.MaxCoalescedPayload;

    /// <summary>Our socket's port id, once started.</summary>
    public uint PortId => _started?.Connection.PortId ?? 0;

    /// <summary>The resolved family id of "Jool", once started.</summary>
    public ushort FamilyId => _started?.Connection.FamilyId ?? 0;

    /// <summary>The resolved id of the "joold" multicast group, once started.</summary>
    public uint GroupId => _started?.Connection.GroupId ?? 0;

    /// <summary>Times the family was resolved again to follow a module reload (every few seconds, and at once on a hint).</summary>
    internal long FamilyChecks => _started?.Connection.FamilyChecks ?? 0;

    /// <summary>JOOLD_ACKs sent so far.</summary>
    public long AcksSent => _started?.Forwarder.AcksSent ?? 0;

    /// <summary>JOOLD_ACKs merged into one that was still waiting for room in the netlink peer's full queue.</summary>
    public long AcksMerged => _started?.Forwarder.AcksMerged ?? 0;

    /// <summary>Kernel messages dropped as malformed (too short, bad header, no container, broken framing).</summary>
    public long MalformedMessages => _started?.Inspector.MalformedMessages ?? 0;

    /// <summary>JOOLD_ADDs, ACKs and requests given up because the netlink peer's receive queue stayed full.</summary>
    public long SendsAbandoned => _started?.Connection.SendsAbandoned ?? 0;

    /// <summary>The clock of timeouts, retries and log rate limits (the one from DI, or the system's).</summary>
    internal TimeProvider Time => _time;

    /// <summary>
    /// Opens the socket, resolves family "Jool" and joins its group, starts receiving and says hello. A second call
    /// after a successful one does nothing; a call that fails leaves nothing open.
    /// </summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_started is not null)
        {
            return;
        }

        Log.Opening(_logger, _options.Instance, _options.NetlinkPeer);
        var connection = await KernelConnection.OpenAsync(_options, _counters, _logger, _time, _limits, cancellationToken).ConfigureAwait(false);
        Started started;
        try
        {
            var inspector = new KernelMessageInspector(_options, connection, _counters, _logger, _limits);
            var forwarder = new KernelBatchForwarder(_options, connection, inspector, new EarlyBatchStash(_counters, _logger), _logger, _limits);
            connection.StartReceiving(forwarder);
            started = new Started(connection, inspector, forwarder);
            await HelloAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _started = started;
        if (Volatile.Read(ref _disposed) != 0)
        {
            // Disposed while starting: DisposeAsync may not have seen the connection.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(GetType().FullName);
        }

        Log.Ready(_logger, connection.PortId, connection.FamilyId, connection.GroupId);
    }

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var started = _started ?? throw new InvalidOperationException($"{Name}: StartAsync must succeed before RunAsync.");
        var loop = started.Connection.ReceiveLoop;
        started.Forwarder.Attach(writer, cancellationToken);
        try
        {
            // Wakes the receive loop so it forwards what arrived before the relay started.
            await started.Connection.WakeAsync().ConfigureAwait(false);
            var stopped = new TaskCompletionSource();
            using (cancellationToken.Register(() => stopped.TrySetResult()))
            {
                await Task.WhenAny(loop, stopped.Task).ConfigureAwait(false);
            }

            if (loop.IsFaulted)
            {
                await loop.ConfigureAwait(false);
            }
        }
        finally
        {
            started.Forwarder.Detach();
        }
    }

    /// <summary>
    /// Hands a peer batch to the kernel as one JOOLD_ADD. Completes at once when the peer has room (allocating
    /// nothing); otherwise returns a pending task that retries on the clock. False before start, after dispose,
    /// and when the batch could not be sent.
    /// </summary>
    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        var started = _started;
        if (started is null || Volatile.Read(ref _disposed) != 0)
        {
            return new ValueTask<bool>(false);
        }

        var connection = started.Connection;
        SocketError result;
        int length;
        byte[]? copy = null;
        lock (_addLock)
        {
            length = JoolRequest.WriteAdd(_addBuffer, connection.FamilyId, connection.NextSeq(), connection.PortId, _instanceName, batch.Entries.Span);
            if (length == 0)
            {
                if (_limits.Send.TryEnter(out long suppressedTooLarge))
                {
                    Log.BatchTooLarge(_logger, batch.Entries.Length, suppressedTooLarge);
                }

                return new ValueTask<bool>(false);
            }

            result = connection.TrySendNow(_addBuffer.AsSpan(0, length));
            if (result == SocketError.WouldBlock)
            {
                // The peer's queue is full: a copy is retried later, so the buffer is free for the next batch.
                copy = ArrayPool<byte>.Shared.Rent(length);
                _addBuffer.AsSpan(0, length).CopyTo(copy);
            }
        }

        return copy is null
            ? new ValueTask<bool>(connection.Report(result, "JOOLD_ADD"))
            : SendLaterAsync(connection, copy, length, cancellationToken);
    }

    public async ValueTask AdvertiseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _started ?? throw new InvalidOperationException($"{Name} is not started.");
        var reply = await started.Connection.RequestAsync(JNLOP_JOOLD_ADVERTISE, "JOOLD_ADVERTISE", timeout, cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
        {
            throw new InvalidOperationException($"Jool instance '{_options.Instance}' refused the advertisement (error {reply.ErrorCode}): {reply.ErrorMessage}");
        }
    }

    /// <summary>Ends the receive loop, every retry and every waiting request, and closes the socket. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_started is { } started)
        {
            await started.Connection.DisposeAsync().ConfigureAwait(false);
            Log.Closed(_logger, _options.Instance);
        }
    }

    private static async ValueTask<bool> SendLaterAsync(KernelConnection connection, byte[] copy, int length, CancellationToken cancellationToken)
    {
        try
        {
            return await connection.SendLaterAsync(copy.AsMemory(0, length), "JOOLD_ADD", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private async Task HelloAsync(KernelConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await connection.RequestAsync(JNLOP_INSTANCE_HELLO, "INSTANCE_HELLO", HelloTimeout, cancellationToken).ConfigureAwait(false);
            if (reply.IsError)
            {
                Log.HelloFailed(_logger, _options.Instance, $"the kernel answered error {reply.ErrorCode}: {reply.ErrorMessage}");
            }
            else if (reply.InstanceStatus == IHS_ALIVE)
            {
                Log.InstanceAlive(_logger, _options.Instance);
            }
            else if (reply.InstanceStatus == IHS_DEAD)
            {
                Log.InstanceDead(_logger, _options.Instance);
            }
            else
            {
                Log.HelloFailed(_logger, _options.Instance, "the kernel's answer has no instance status");
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Log.HelloFailed(_logger, _options.Instance, e.Message);
        }
    }

    /// <summary>What a successful start made, published at once.</summary>
    private sealed record Started(KernelConnection Connection, KernelMessageInspector Inspector, KernelBatchForwarder Forwarder);
}
