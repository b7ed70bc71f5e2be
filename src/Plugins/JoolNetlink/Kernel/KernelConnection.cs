using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Joold.Netlink;
using Joold.Plugins.JoolNetlink.Jool;
using Joold.Stats;
using Microsoft.Extensions.Logging;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>
/// The socket to the Jool module (or to the user-space stand-in at "netlink peer"): opened, resolved and joined to
/// the "joold" group at start; the sequence numbers; the requests waiting for their answer; sends that never block
/// a thread; the receive loop that hands each datagram on; and the <see cref="FamilyWatch"/> that rejoins the
/// family when the module is reloaded. What the messages mean is the handler's business.
/// </summary>
internal sealed class KernelConnection : IAsyncDisposable
{
    /// <summary>
    /// How long a send waits for room in a full peer queue before it is given up and counted. Only a user-space peer
    /// ever has a full queue; the kernel handles every request as it arrives.
    /// </summary>
    public static readonly TimeSpan SendGiveUpAfter = TimeSpan.FromSeconds(1);

    /// <summary>Big enough for any netlink datagram the kernel sends (dumps stay under 32 KiB).</summary>
    private const int ReceiveBufferSize = 64 * 1024;

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The pause after a receive error, so that a persistent one cannot spin a core.</summary>
    private static readonly TimeSpan ReceiveErrorPause = TimeSpan.FromMilliseconds(100);

    private readonly JoolNetlinkOptions _options;
    private readonly ITransportCounters _counters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly KernelLogLimits _limits;
    private readonly NetlinkSocket _socket;
    private readonly SocketAddress _peer;
    private readonly byte[] _instanceName;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private readonly SocketAddress _sender = NetlinkAddress.CreateForReceive();
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<JoolReply>> _pending = new();
    private readonly InFlightTasks _retries = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopToken;
    private readonly CancellationTokenSource _wake;
    private readonly FamilyWatch _watch;
    private readonly Lock _rejoinLock = new();
    private Task _receiveLoop = Task.CompletedTask;
    private Task _watchLoop = Task.CompletedTask;
    private volatile ushort _familyId;
    private volatile uint _groupId;
    private int _seq;
    private int _disposed;
    private long _sendsAbandoned;

    private KernelConnection(NetlinkSocket socket, JoolNetlinkOptions options, ITransportCounters counters, ILogger logger, TimeProvider time, KernelLogLimits limits)
    {
        _socket = socket;
        _options = options;
        _counters = counters;
        _logger = logger;
        _time = time;
        _limits = limits;
        _peer = NetlinkAddress.Create(options.NetlinkPeer);
        _instanceName = options.InstanceNameBytes();
        _stopToken = _stop.Token;
        _wake = CancellationTokenSource.CreateLinkedTokenSource(_stopToken);
        _watch = new FamilyWatch(this, options, _peer, logger, time);
    }

    /// <summary>Our socket's port id.</summary>
    public uint PortId => _socket.PortId;

    /// <summary>The id of family "Jool", as the peer resolved it last.</summary>
    public ushort FamilyId => _familyId;

    /// <summary>The id of the "joold" multicast group, as the peer resolved it last.</summary>
    public uint GroupId => _groupId;

    /// <summary>Family checks of the <see cref="FamilyWatch"/> completed so far.</summary>
    public long FamilyChecks => _watch.Checks;

    /// <summary>Sends given up because the peer's receive queue stayed full for <see cref="SendGiveUpAfter"/>.</summary>
    public long SendsAbandoned => Interlocked.Read(ref _sendsAbandoned);

    /// <summary>Cancelled when the connection closes.</summary>
    public CancellationToken Closing => _stopToken;

    /// <summary>The receive loop, once <see cref="StartReceiving"/> has started it: it ends when the connection closes.</summary>
    public Task ReceiveLoop => _receiveLoop;

    /// <summary>
    /// Opens the socket, sets its receive buffer, resolves family "Jool" through the peer and joins its "joold"
    /// group. On failure nothing is left open.
    /// </summary>
    public static async Task<KernelConnection> OpenAsync(
        JoolNetlinkOptions options,
        ITransportCounters counters,
        ILogger logger,
        TimeProvider time,
        KernelLogLimits limits,
        CancellationToken cancellationToken)
    {
        var connection = new KernelConnection(NetlinkSocket.Open(), options, counters, logger, time, limits);
        try
        {
            await connection.JoinAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A sequence number for a request; never 0, which is what kernel multicasts carry.</summary>
    public uint NextSeq()
    {
        uint seq = (uint)Interlocked.Increment(ref _seq);
        return seq != 0 ? seq : (uint)Interlocked.Increment(ref _seq);
    }

    /// <summary>Starts the receive loop, which hands every datagram to <paramref name="handler"/>, and the family watch.</summary>
    public void StartReceiving(IKernelDatagramHandler handler)
    {
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(handler, _stopToken), CancellationToken.None);
        _watchLoop = Task.Run(() => _watch.RunAsync(_stopToken), CancellationToken.None);
    }

    /// <summary>Something suggests the family changed (the peer knows no such family, or is gone): check it soon.</summary>
    public void CheckFamilySoon() => _watch.CheckSoon();

    /// <summary>
    /// Moves to the family id and group the peer has now: joins the group (again, if the kernel took the socket out
    /// of it) and leaves the old one. Returns what was before, and whether the socket was still in the old group.
    /// </summary>
    public (ushort OldFamily, uint OldGroup, bool WasMember) Rejoin(ushort family, uint group)
    {
        lock (_rejoinLock)
        {
            ushort oldFamily = _familyId;
            uint oldGroup = _groupId;
            bool wasMember = _socket.IsMember(oldGroup);
            if (group != oldGroup || !wasMember)
            {
                _socket.JoinGroup(group);
            }

            if (group != oldGroup)
            {
                _socket.LeaveGroup(oldGroup);
            }

            _familyId = family;
            _groupId = group;
            return (oldFamily, oldGroup, wasMember);
        }
    }

    /// <summary>Interrupts the pending receive once, so the handler's <see cref="IKernelDatagramHandler.OnWakeAsync"/> runs now.</summary>
    public async Task WakeAsync()
    {
        try
        {
            await _wake.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // Closed: the loop has ended and there is nothing to wake.
        }
    }

    /// <summary>One attempt to send, now; <see cref="SocketError.WouldBlock"/> means the peer's queue is full.</summary>
    public SocketError TrySendNow(ReadOnlySpan<byte> message) => _socket.SendTo(message, _peer);

    /// <summary>
    /// Sends without blocking a thread: at once when the peer has room (then nothing is allocated), else through
    /// <see cref="SendLaterAsync"/>. False when the message did not go; the failure is logged, rate-limited.
    /// <paramref name="message"/> must stay untouched until the task completes.
    /// </summary>
    public ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, string what, CancellationToken cancellationToken)
    {
        var result = TrySendNow(message.Span);
        return result == SocketError.WouldBlock
            ? SendLaterAsync(message, what, cancellationToken)
            : new ValueTask<bool>(Report(result, what));
    }

    /// <summary>
    /// Retries a send the peer refused with EAGAIN, on the clock, until <see cref="SendGiveUpAfter"/>; then gives
    /// up, counts it in <see cref="SendsAbandoned"/> and logs it, rate-limited. Ends with false when the connection
    /// closes, and with <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is.
    /// </summary>
    public ValueTask<bool> SendLaterAsync(ReadOnlyMemory<byte> message, string what, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return new ValueTask<bool>(false);
        }

        // Tracked, so that closing waits for every retry to end and leaves no timer behind.
        return new ValueTask<bool>(_retries.Track(RetryAsync(message, what, cancellationToken)));
    }

    /// <summary>Logs a failed send, rate-limited; true when <paramref name="result"/> is success.</summary>
    public bool Report(SocketError result, string what)
    {
        if (result == SocketError.Success)
        {
            return true;
        }

        if (result == SocketError.ConnectionRefused)
        {
            // No socket has the peer's port id any more: it may come back with another family.
            CheckFamilySoon();
        }

        if (_limits.Send.TryEnter(out long suppressed))
        {
            Log.SendFailed(_logger, what, _options.NetlinkPeer, result, suppressed);
        }

        return false;
    }

    /// <summary>Sends an attribute-less request and waits for the answer with its sequence number.</summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">The request could not be sent.</exception>
    public async Task<JoolReply> RequestAsync(byte cmd, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        uint seq = NextSeq();
        var reply = new TaskCompletionSource<JoolReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[seq] = reply;

        // The deadline runs from before the request leaves: a clock moved on once the peer has it always ends the wait.
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _stopToken);
        try
        {
            var message = new byte[JoolRequest.HeaderSize];
            JoolRequest.Write(message, FamilyId, cmd, seq, PortId, _instanceName);
            var sent = await _socket.SendToAsync(message, _peer, SendGiveUpAfter, _time, linked.Token).ConfigureAwait(false);
            if (sent != SocketError.Success)
            {
                if (sent == SocketError.WouldBlock)
                {
                    Interlocked.Increment(ref _sendsAbandoned);
                }

                throw new InvalidOperationException($"Could not send {what} to netlink port id {_options.NetlinkPeer}: {sent}.");
            }

            return await reply.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Jool instance '{_options.Instance}' did not answer {what} within {timeout.TotalSeconds:0.###} s.");
        }
        finally
        {
            _pending.TryRemove(seq, out _);
        }
    }

    /// <summary>Completes the request <paramref name="message"/> answers, if one waits for it.</summary>
    public bool TryCompleteRequest(in NetlinkMessage message)
    {
        if (message.Sequence == 0 || !_pending.TryRemove(message.Sequence, out var waiter))
        {
            return false;
        }

        waiter.TrySetResult(JoolReply.From(message));
        return true;
    }

    /// <summary>Ends the receive loop and every retry, then closes the socket. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _watchLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _retries.WhenAllAsync().ConfigureAwait(false);
        foreach (var pending in _pending.Values)
        {
            pending.TrySetCanceled();
        }

        _socket.Dispose();
        _wake.Dispose();
        _stop.Dispose();
    }

    private async Task JoinAsync(CancellationToken cancellationToken)
    {
        var buffer = _socket.SetReceiveBuffer(_options.ReceiveBuffer);
        Log.ReceiveBuffer(_logger, buffer.Requested, buffer.Reported, buffer.Forced ? "SO_RCVBUFFORCE" : "SO_RCVBUF, capped by net.core.rmem_max");
        var (family, group) = await JoolFamilyResolver.ResolveAtStartAsync(_socket, _peer, _options, NextSeq(), ResolveTimeout, _time, cancellationToken).ConfigureAwait(false);
        _socket.JoinGroup(group);
        _familyId = family;
        _groupId = group;
    }

    private async Task<bool> RetryAsync(ReadOnlyMemory<byte> message, string what, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopToken);
        SocketError result;
        try
        {
            result = await _socket.SendToAsync(message, _peer, SendGiveUpAfter, _time, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // The connection is closing.
        }

        if (result != SocketError.WouldBlock)
        {
            return Report(result, what);
        }

        Interlocked.Increment(ref _sendsAbandoned);
        if (_limits.Abandoned.TryEnter(out long suppressed))
        {
            Log.SendAbandoned(_logger, what, _options.NetlinkPeer, (long)SendGiveUpAfter.TotalMilliseconds, suppressed);
        }

        return false;
    }

    private async Task ReceiveLoopAsync(IKernelDatagramHandler handler, CancellationToken stop)
    {
        bool woken = false;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int length;
                try
                {
                    length = await _socket.ReceiveAsync(_receiveBuffer, _sender, woken ? stop : _wake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // Woken (the relay runs now): from here on only the stop token applies.
                    woken = true;
                    await handler.OnWakeAsync().ConfigureAwait(false);
                    continue;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
                {
                    _counters.Overrun();
                    if (_limits.Overrun.TryEnter(out long suppressed))
                    {
                        Log.Overrun(_logger, suppressed);
                    }

                    continue;
                }
                catch (SocketException e)
                {
                    if (_limits.Receive.TryEnter(out long suppressed))
                    {
                        Log.ReceiveFailed(_logger, e.Message, suppressed);
                    }

                    await Task.Delay(ReceiveErrorPause, _time, stop).ConfigureAwait(false);
                    continue;
                }

                await handler.OnDatagramAsync(_receiveBuffer.AsMemory(0, length), _sender).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Closing.
        }
        catch (ObjectDisposedException) when (stop.IsCancellationRequested)
        {
            // Closing.
        }
    }
}
