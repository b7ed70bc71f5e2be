using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Diagnostics;
using Joold.Netlink;
using Joold.Plugins.JoolNetlink.Jool;
using Joold.Relay;
using Joold.Sessions;
using Joold.Stats;
using Microsoft.Extensions.Logging;
using static Joold.Netlink.Interop.Netlink;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink;

/// <summary>
/// The local side of the daemon: one generic netlink socket to the Jool module (or to a fake at
/// <see cref="JoolNetlinkOptions.NetlinkPeer"/>). As a source it forwards the kernel's session multicasts and ACKs
/// each one; as a sink it hands peer batches to the kernel with JOOLD_ADD; as an advertiser it sends
/// JOOLD_ADVERTISE.
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
/// </remarks>
public sealed class JoolNetlinkChannel : ISessionSource, ISessionSink, ISessionAdvertiser
{
    /// <summary>Big enough for any netlink datagram the kernel sends (dumps stay under 32 KiB).</summary>
    private const int ReceiveBufferSize = 64 * 1024;

    /// <summary>Kernel batches held while the relay has not started yet; the ACK window keeps this tiny.</summary>
    private const int StashCapacity = 64;

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(2);

    private readonly JoolNetlinkOptions _options;
    private readonly ITransportCounters _counters;
    private readonly ILogger _logger;
    private readonly byte[] _instanceName;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private readonly SocketAddress _sender = NetlinkAddress.CreateForReceive();
    private readonly byte[] _ackBuffer = new byte[JoolRequest.HeaderSize];
    private readonly byte[] _addBuffer = new byte[JoolRequest.MaxAddSize];
    private readonly Lock _addLock = new();
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<JoolReply>> _pending = new();
    private readonly List<byte[]> _stash = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly RateLimitedLog _badMessageLog = new();
    private readonly RateLimitedLog _errorReplyLog = new();
    private readonly RateLimitedLog _caseLog = new(burst: 1, window: TimeSpan.FromMinutes(1));
    private readonly RateLimitedLog _invalidBatchLog = new();
    private readonly RateLimitedLog _overrunLog = new();
    private readonly RateLimitedLog _sendLog = new();
    private readonly RateLimitedLog _receiveLog = new();
    private readonly RateLimitedLog _strangerLog = new();
    private NetlinkSocket? _socket;
    private SocketAddress? _peer;
    private ushort _family;
    private Task? _receiveLoop;
    private CancellationTokenSource? _wake;
    private volatile ISessionBatchWriter? _writer;
    private CancellationToken _runToken;
    private int _stashDropped;
    private int _seq;
    private int _disposed;
    private long _acksSent;
    private long _malformed;

    public JoolNetlinkChannel(JoolNetlinkOptions options, ITransportCounters counters, ILogger<JoolNetlinkChannel> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _instanceName = options.InstanceNameBytes();
        Name = options.NetlinkPeer == 0
            ? $"jool netlink (instance '{options.Instance}')"
            : $"jool netlink (instance '{options.Instance}', netlink peer {options.NetlinkPeer})";
    }

    public string Name { get; }

    public SessionSide Side => SessionSide.Local;

    /// <summary>Our socket's port id, once started.</summary>
    public uint PortId => _socket?.PortId ?? 0;

    /// <summary>The resolved family id of "Jool", once started.</summary>
    public ushort FamilyId => _family;

    /// <summary>The resolved id of the "joold" multicast group, once started.</summary>
    public uint GroupId { get; private set; }

    /// <summary>JOOLD_ACKs sent so far.</summary>
    public long AcksSent => Interlocked.Read(ref _acksSent);

    /// <summary>Kernel messages dropped as malformed (too short, bad header, no container, broken framing).</summary>
    public long MalformedMessages => Interlocked.Read(ref _malformed);

    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException($"{Name} was already started.");
        }

        Log.Opening(_logger, _options.Instance, _options.NetlinkPeer);
        var socket = NetlinkSocket.Open();
        try
        {
            var (actual, forced) = socket.SetReceiveBuffer(_options.ReceiveBuffer);
            Log.ReceiveBuffer(_logger, _options.ReceiveBuffer, actual, forced ? "SO_RCVBUFFORCE" : "SO_RCVBUF, capped by net.core.rmem_max");
            _peer = NetlinkAddress.Create(_options.NetlinkPeer);
            var family = await ResolveAsync(socket, cancellationToken).ConfigureAwait(false);
            if (!family.Groups.TryGetValue(JOOLNL_MULTICAST_GRP_NAME, out uint group))
            {
                throw new InvalidOperationException(
                    $"Generic netlink family '{JOOLNL_FAMILY}' (id {family.Id}) has no multicast group '{JOOLNL_MULTICAST_GRP_NAME}'; is the loaded module really Jool 4.1?");
            }

            socket.JoinGroup(group);
            _family = family.Id;
            GroupId = group;
            JoolRequest.Write(_ackBuffer, _family, JNLOP_JOOLD_ACK, 0, socket.PortId, _instanceName);
            _socket = socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _receiveLoop = Task.Run(() => ReceiveLoopAsync(_stop.Token), CancellationToken.None);
        await HelloAsync(cancellationToken).ConfigureAwait(false);
        Log.Ready(_logger, _socket.PortId, _family, GroupId);
    }

    public async Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var loop = _receiveLoop ?? throw new InvalidOperationException($"{Name}: StartAsync must succeed before RunAsync.");
        _runToken = cancellationToken;
        _writer = writer;
        try
        {
            // Wakes the receive loop so it forwards what arrived before the relay started.
            await (_wake?.CancelAsync() ?? Task.CompletedTask).ConfigureAwait(false);
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
            _writer = null;
        }
    }

    public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null || _peer is null)
        {
            return ValueTask.FromResult(false);
        }

        SocketError result;
        lock (_addLock)
        {
            int length = JoolRequest.WriteAdd(_addBuffer, _family, NextSeq(), socket.PortId, _instanceName, batch.Entries.Span);
            if (length == 0)
            {
                if (_sendLog.TryEnter(out long suppressedTooLarge))
                {
                    Log.BatchTooLarge(_logger, batch.Entries.Length, suppressedTooLarge);
                }

                return ValueTask.FromResult(false);
            }

            result = socket.SendTo(_addBuffer.AsSpan(0, length), _peer);
        }

        if (result != SocketError.Success && _sendLog.TryEnter(out long suppressed))
        {
            Log.SendFailed(_logger, "JOOLD_ADD", _options.NetlinkPeer, result, suppressed);
        }

        return ValueTask.FromResult(result == SocketError.Success);
    }

    public async ValueTask AdvertiseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await RequestAsync(JNLOP_JOOLD_ADVERTISE, "JOOLD_ADVERTISE", timeout, cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
        {
            throw new InvalidOperationException($"Jool instance '{_options.Instance}' refused the advertisement (error {reply.ErrorCode}): {reply.ErrorMessage}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_receiveLoop is not null)
        {
            try
            {
                await _receiveLoop.ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                // Already reported through RunAsync, or irrelevant now that we stop.
            }
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetCanceled();
        }

        _socket?.Dispose();
        _wake?.Dispose();
        _stop.Dispose();
        if (_socket is not null)
        {
            Log.Closed(_logger, _options.Instance);
        }
    }

    private async Task<GenericNetlinkFamily> ResolveAsync(NetlinkSocket socket, CancellationToken cancellationToken)
    {
        GenericNetlinkFamily? family;
        try
        {
            family = await GenericNetlinkResolver.ResolveAsync(socket, _peer!, JOOLNL_FAMILY, NextSeq(), ResolveTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && _options.NetlinkPeer != 0)
        {
            throw new InvalidOperationException(
                $"No netlink socket has port id {_options.NetlinkPeer} (\"{JoolNetlinkOptions.NetlinkPeerKey}\"); start the fake kernel first or set it to 0 to talk to the real Jool module.", e);
        }

        return family ?? throw new InvalidOperationException(_options.NetlinkPeer == 0
            ? $"The Jool kernel module is not loaded in this network namespace (generic netlink family '{JOOLNL_FAMILY}' not found); load it with `modprobe jool` and create the instance with `jool instance add {_options.Instance} --netfilter`."
            : $"Netlink peer {_options.NetlinkPeer} (\"{JoolNetlinkOptions.NetlinkPeerKey}\") knows no generic netlink family '{JOOLNL_FAMILY}'; is it a Jool fake kernel?");
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reply = await RequestAsync(JNLOP_INSTANCE_HELLO, "INSTANCE_HELLO", HelloTimeout, cancellationToken).ConfigureAwait(false);
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

    /// <summary>Sends an attribute-less request and waits for the reply with its sequence number.</summary>
    private async Task<JoolReply> RequestAsync(byte cmd, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException($"{Name} is not started.");
        uint seq = NextSeq();
        var reply = new TaskCompletionSource<JoolReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[seq] = reply;
        try
        {
            var message = new byte[JoolRequest.HeaderSize];
            JoolRequest.Write(message, _family, cmd, seq, socket.PortId, _instanceName);
            var sent = socket.SendTo(message, _peer!);
            if (sent != SocketError.Success)
            {
                throw new InvalidOperationException($"Could not send {what} to netlink port id {_options.NetlinkPeer}: {sent}.");
            }

            try
            {
                return await reply.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Jool instance '{_options.Instance}' did not answer {what} within {timeout.TotalSeconds:0.###} s.");
            }
        }
        finally
        {
            _pending.TryRemove(seq, out _);
        }
    }

    private uint NextSeq()
    {
        // Sequence 0 is what kernel multicasts carry; never use it for a request.
        uint seq = (uint)Interlocked.Increment(ref _seq);
        return seq != 0 ? seq : (uint)Interlocked.Increment(ref _seq);
    }

    private async Task ReceiveLoopAsync(CancellationToken stop)
    {
        var socket = _socket!;
        while (!stop.IsCancellationRequested)
        {
            var wake = _wake;
            int length;
            try
            {
                length = await socket.ReceiveAsync(_receiveBuffer, _sender, wake?.Token ?? stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                // RunAsync gave us a writer: from now on only the stop token applies.
                _wake = null;
                wake?.Dispose();
                await DrainStashAsync().ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                _counters.Overrun();
                if (_overrunLog.TryEnter(out long suppressed))
                {
                    Log.Overrun(_logger, suppressed);
                }

                continue;
            }
            catch (SocketException e)
            {
                if (_receiveLog.TryEnter(out long suppressed))
                {
                    Log.ReceiveFailed(_logger, e.Message, suppressed);
                }

                // A persistent error must not spin a core.
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop).ConfigureAwait(false);
                continue;
            }

            if (_writer is not null && _stash.Count > 0)
            {
                await DrainStashAsync().ConfigureAwait(false);
            }

            await HandleDatagramAsync(length).ConfigureAwait(false);
        }
    }

    private async Task HandleDatagramAsync(int length)
    {
        uint? sender = NetlinkAddress.PortIdOf(_sender);
        if (sender != _options.NetlinkPeer)
        {
            if (_strangerLog.TryEnter(out long suppressed))
            {
                Log.Stranger(_logger, $"it came from netlink port id {sender?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, not from {_options.NetlinkPeer}", suppressed);
            }

            return;
        }

        int offset = 0;
        while (offset < length)
        {
            var action = Inspect(ref offset, length);
            if (action.Forward)
            {
                bool taken = await ForwardAsync(_receiveBuffer.AsMemory(action.ContainerOffset, action.ContainerLength)).ConfigureAwait(false);
                if (!taken)
                {
                    continue;
                }
            }

            if (action.Ack)
            {
                SendAck();
            }
        }
    }

    /// <summary>
    /// Looks at the message at <paramref name="offset"/>, moves <paramref name="offset"/> past it, completes a
    /// waiting request or logs, and says what is left to do. Synchronous, so spans never cross an await.
    /// </summary>
    private MessageAction Inspect(ref int offset, int length)
    {
        ReadOnlySpan<byte> rest = _receiveBuffer.AsSpan(offset, length - offset);
        var messages = new NetlinkMessageEnumerator(rest);
        if (!messages.MoveNext())
        {
            // Broken framing (nlmsg_len under 16 or past the datagram): libnl stops there without a callback, so
            // C joold neither processes nor ACKs it. Same here, but counted and logged.
            offset = length;
            Malformed($"{rest.Length} bytes that are not a whole netlink message (nlmsg_len out of bounds); dropped, not ACKed");
            return default;
        }

        var message = messages.Current;
        int start = offset;
        offset = Math.Min(length, offset + NLMSG_ALIGN(message.Bytes.Length));

        if (message.Sequence != 0 && _pending.TryRemove(message.Sequence, out var waiter))
        {
            waiter.TrySetResult(JoolReply.From(message));
            return default;
        }

        if (message.Type != _family)
        {
            LogForeign(message);
            return default;
        }

        var inspected = KernelMessage.Inspect(message, _instanceName);
        if (message.Sequence != 0 && message.PortId == PortId && inspected.Kind != KernelMessageKind.ErrorReply)
        {
            // A unicast answer to a request nobody waits for any more (it timed out): not a multicast, not ACKed.
            return default;
        }

        switch (inspected.Kind)
        {
            case KernelMessageKind.TooShort:
                Malformed($"Message too short ({message.Bytes.Length} bytes); dropped and ACKed");
                return new MessageAction(Ack: true);
            case KernelMessageKind.BadHeader:
                Malformed($"{DescribeHeader(inspected)}; dropped and ACKed");
                return new MessageAction(Ack: true);
            case KernelMessageKind.OtherInstance:
                if (inspected.CaseOnlyMismatch && _caseLog.TryEnter(out long suppressedCase))
                {
                    Log.CaseOnlyMismatch(_logger, Encoding.ASCII.GetString(inspected.InstanceName), _options.Instance, suppressedCase);
                }
                else if (_logger.IsEnabled(LogLevel.Debug))
                {
                    Log.OtherInstance(_logger, KernelMessage.ToPrintable(inspected.InstanceName));
                }

                return default;
            case KernelMessageKind.ErrorReply:
                if (_errorReplyLog.TryEnter(out long suppressedError))
                {
                    Log.ErrorReply(_logger, inspected.ErrorCode ?? 0, _options.Instance, inspected.ErrorMessage, suppressedError);
                }

                return default;
            case KernelMessageKind.NoContainer:
                Malformed("the message lacks a session container; dropped and ACKed");
                return new MessageAction(Ack: true);
            default:
                // The container is the first attribute, so its payload always starts right after its header.
                return new MessageAction(Ack: true, Forward: true, start + JOOL_ATTRS_OFFSET + NLA_HDRLEN, inspected.Container.Length);
        }
    }

    private async ValueTask<bool> ForwardAsync(ReadOnlyMemory<byte> container)
    {
        var writer = _writer;
        if (writer is null)
        {
            Stash(container.Span);
            return false;
        }

        RelayResult result;
        try
        {
            result = await writer.WriteAsync(container, _runToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The relay is stopping: the batch was not taken, so it is not ACKed either.
            return false;
        }

        if (result == RelayResult.Invalid && _invalidBatchLog.TryEnter(out long suppressed))
        {
            Log.InvalidBatch(_logger, _options.Instance, SessionContainer.Validate(container.Span).Describe(), suppressed);
        }

        return true;
    }

    private void Stash(ReadOnlySpan<byte> container)
    {
        if (_stash.Count < StashCapacity)
        {
            _stash.Add(container.ToArray());
            return;
        }

        _counters.Overrun();
        if (++_stashDropped == 1)
        {
            Log.StashFull(_logger, StashCapacity);
        }
    }

    private async Task DrainStashAsync()
    {
        while (_stash.Count > 0 && _writer is not null)
        {
            byte[] container = _stash[0];
            _stash.RemoveAt(0);
            if (await ForwardAsync(container).ConfigureAwait(false))
            {
                SendAck();
            }
        }
    }

    private void SendAck()
    {
        var socket = _socket!;
        BitConverter.TryWriteBytes(_ackBuffer.AsSpan(8), NextSeq());
        var result = socket.SendTo(_ackBuffer, _peer!);
        if (result == SocketError.Success)
        {
            Interlocked.Increment(ref _acksSent);
        }
        else if (_sendLog.TryEnter(out long suppressed))
        {
            Log.SendFailed(_logger, "JOOLD_ACK", _options.NetlinkPeer, result, suppressed);
        }
    }

    private void Malformed(string reason)
    {
        Interlocked.Increment(ref _malformed);
        _counters.Invalid(SessionSide.Local);
        if (_badMessageLog.TryEnter(out long suppressed))
        {
            Log.BadMessage(_logger, _options.Instance, reason, suppressed);
        }
    }

    private void LogForeign(in NetlinkMessage message)
    {
        if (message.Type == NLMSG_ERROR && message.ErrorCode is int error && error != 0)
        {
            if (_errorReplyLog.TryEnter(out long suppressed))
            {
                Log.ErrorReply(_logger, -error, _options.Instance, $"netlink error {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(-error)} (request seq {message.Sequence})", suppressed);
            }
        }
        else if (message.Type is not (NLMSG_ERROR or NLMSG_DONE or NLMSG_NOOP) && _strangerLog.TryEnter(out long suppressed))
        {
            Log.Stranger(_logger, $"message type {message.Type} is not the Jool family ({_family})", suppressed);
        }
    }

    private static string DescribeHeader(in KernelMessage message) => message.HeaderStatus switch
    {
        JoolHeaderStatus.BadMagic => "the Jool header's magic is not 'jool'",
        JoolHeaderStatus.VersionMismatch => $"Version mismatch: the kernel speaks Jool {JoolHeader.FormatVersion(JoolHeader.Version(message.Header))}, this daemon {JoolHeader.FormatVersion(JOOL_VERSION)}",
        JoolHeaderStatus.NotNat64 => $"the sender is not a NAT64 Jool (xt {JoolHeader.Translator(message.Header)})",
        _ => message.HeaderStatus.ToString(),
    };

    private readonly record struct MessageAction(bool Ack = false, bool Forward = false, int ContainerOffset = 0, int ContainerLength = 0);
}
