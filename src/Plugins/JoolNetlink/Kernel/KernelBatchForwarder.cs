using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Joold.Plugins.JoolNetlink.Jool;
using Joold.Relay;
using Joold.Sessions;
using Microsoft.Extensions.Logging;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>
/// The source side on the receive loop: takes each datagram apart message by message, as the inspector decides
/// hands each session batch to the relay (or to the stash while the relay has not started), and ACKs once the
/// relay has taken it. Messages are handled strictly in order, one at a time, and nothing here waits for the
/// peer: an ACK its full queue refuses is retried on the side (see <see cref="SendAck"/>), so a stuck peer never
/// holds up the kernel-to-network direction.
/// </summary>
internal sealed class KernelBatchForwarder : IKernelDatagramHandler
{
    private readonly JoolNetlinkOptions _options;
    private readonly KernelConnection _connection;
    private readonly KernelMessageInspector _inspector;
    private readonly EarlyBatchStash _stash;
    private readonly ILogger _logger;
    private readonly KernelLogLimits _limits;
    private readonly byte[] _ackBuffer = new byte[JoolRequest.HeaderSize];
    private readonly byte[] _waitingAck = new byte[JoolRequest.HeaderSize];
    private volatile ISessionBatchWriter? _writer;
    private CancellationToken _runToken;
    private long _acksSent;
    private long _acksMerged;
    private int _ackWaits;

    public KernelBatchForwarder(
        JoolNetlinkOptions options,
        KernelConnection connection,
        KernelMessageInspector inspector,
        EarlyBatchStash stash,
        ILogger logger,
        KernelLogLimits limits)
    {
        _options = options;
        _connection = connection;
        _inspector = inspector;
        _stash = stash;
        _logger = logger;
        _limits = limits;
        JoolRequest.Write(_ackBuffer, connection.FamilyId, JNLOP_JOOLD_ACK, 0, connection.PortId, options.InstanceNameBytes());
    }

    /// <summary>JOOLD_ACKs sent so far.</summary>
    public long AcksSent => Interlocked.Read(ref _acksSent);

    /// <summary>ACKs not sent because another one was already waiting for room in the peer's queue.</summary>
    public long AcksMerged => Interlocked.Read(ref _acksMerged);

    /// <summary>From now on batches go to <paramref name="writer"/>; <paramref name="runToken"/> is the relay's.</summary>
    public void Attach(ISessionBatchWriter writer, CancellationToken runToken)
    {
        _runToken = runToken;
        _writer = writer;
    }

    /// <summary>From now on batches are stashed again.</summary>
    public void Detach() => _writer = null;

    public async ValueTask OnDatagramAsync(ReadOnlyMemory<byte> datagram, SocketAddress sender)
    {
        if (_writer is not null && !_stash.IsEmpty)
        {
            await DrainStashAsync().ConfigureAwait(false);
        }

        if (!_inspector.IsFromPeer(sender))
        {
            return;
        }

        int offset = 0;
        while (offset < datagram.Length)
        {
            int start = offset;
            var action = _inspector.Inspect(datagram.Span[start..], out int consumed);
            offset += consumed;
            if (action.Forward && !await ForwardAsync(datagram.Slice(start + action.ContainerOffset, action.ContainerLength)).ConfigureAwait(false))
            {
                continue;
            }

            if (action.Ack)
            {
                SendAck();
            }
        }
    }

    public ValueTask OnWakeAsync() => DrainStashAsync();

    /// <summary>True when the relay took the batch (valid or not), so it is to be ACKed; false when it was stashed or the relay stops.</summary>
    private async ValueTask<bool> ForwardAsync(ReadOnlyMemory<byte> container)
    {
        var writer = _writer;
        if (writer is null)
        {
            _stash.Hold(container.Span);
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

        if (result == RelayResult.Invalid && _limits.InvalidBatch.TryEnter(out long suppressed))
        {
            Log.InvalidBatch(_logger, _options.Instance, SessionContainer.Validate(container.Span).Describe(), suppressed);
        }

        return true;
    }

    private async ValueTask DrainStashAsync()
    {
        while (_writer is not null && _stash.TryTake(out byte[]? container))
        {
            if (await ForwardAsync(container).ConfigureAwait(false))
            {
                SendAck();
            }
        }
    }

    /// <summary>
    /// Sends the ACK now, and never makes the receive loop wait: when the peer's queue is full (only a user-space
    /// peer's ever is), a copy is retried on the clock while the loop goes on. At most one ACK waits at a time;
    /// one that comes meanwhile is merged into it (counted in <see cref="AcksMerged"/>): the kernel waits for one
    /// ACK at a time (its window is one batch), and any ACK ends that wait.
    /// </summary>
    private void SendAck()
    {
        // The family id too: it changes when the module is reloaded (FamilyWatch).
        BinaryPrimitives.WriteUInt16LittleEndian(_ackBuffer.AsSpan(4), _connection.FamilyId);
        BinaryPrimitives.WriteUInt32LittleEndian(_ackBuffer.AsSpan(8), _connection.NextSeq());
        var result = _connection.TrySendNow(_ackBuffer);
        if (result != SocketError.WouldBlock)
        {
            if (_connection.Report(result, "JOOLD_ACK"))
            {
                Interlocked.Increment(ref _acksSent);
            }

            return;
        }

        if (Interlocked.Exchange(ref _ackWaits, 1) != 0)
        {
            Interlocked.Increment(ref _acksMerged);
            return;
        }

        _ackBuffer.CopyTo(_waitingAck, 0);
        _ = RetryAckAsync();
    }

    /// <summary>Retries the waiting ACK until it goes, is given up (counted by the connection) or the connection closes.</summary>
    private async Task RetryAckAsync()
    {
        try
        {
            if (await _connection.SendLaterAsync(_waitingAck, "JOOLD_ACK", _connection.Closing).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _acksSent);
            }
        }
        catch (OperationCanceledException)
        {
            // The connection is closing.
        }
        finally
        {
            Volatile.Write(ref _ackWaits, 0);
        }
    }
}
