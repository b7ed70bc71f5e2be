using System.Runtime.CompilerServices;
using Joold.Plugins.Tls.Protocol;
using Joold.Relay;
using Joold.Sessions;

namespace Joold.Plugins.Tls;

/// <summary>The reader: frames in, batches to the relay once and in order, ACKs releasing the peer's queue.</summary>
internal sealed partial class Connection
{
    private async Task ReadLoopAsync()
    {
        var peer = _peer!;
        try
        {
            while (true)
            {
                int offset = 0;
                bool batchSeen = false;
                while (IsOpen)
                {
                    var error = FrameCodec.TryParse(_readBuffer.AsSpan(offset, _filled - offset), out var frame, out int consumed);
                    if (error != FrameError.None)
                    {
                        Violation($"it sent a malformed frame ({error})");
                        return;
                    }

                    if (consumed == 0)
                    {
                        break;
                    }

                    switch (frame.Type)
                    {
                        case FrameType.Batch:
                            batchSeen = true;
                            await DeliverAsync(peer, frame.Number, offset + frame.ContainerOffset, frame.ContainerLength).ConfigureAwait(false);
                            break;
                        case FrameType.Ack:
                            int released = peer.Queue.Acknowledge(frame.Number);
                            if (released < 0)
                            {
                                Violation($"it acknowledged batch {frame.Number}, which was never sent");
                                return;
                            }

                            peer.CountAcknowledged(released);
                            if (peer.ResyncPending && peer.Queue.Count == 0)
                            {
                                // It caught up after its queue overflowed: now the advertisement fills what it missed.
                                peer.ResyncPending = false;
                                _context.RequestResync($"{peer.Name} missed batches (its queue overflowed)");
                            }

                            break;
                        case FrameType.Hello:
                            Violation("it sent a second HELLO");
                            return;
                    }

                    offset += consumed;
                }

                if (batchSeen && peer.Delivered > Volatile.Read(ref _ackToSend))
                {
                    Volatile.Write(ref _ackToSend, peer.Delivered);
                    _signal.Set();
                }

                if (offset > 0)
                {
                    Buffer.BlockCopy(_readBuffer, offset, _readBuffer, 0, _filled - offset);
                    _filled -= offset;
                }

                int read = await _stream.ReadAsync(_readBuffer.AsMemory(_filled)).ConfigureAwait(false);
                if (read == 0)
                {
                    Close("the peer closed the connection");
                    return;
                }

                _filled += read;
                Volatile.Write(ref _lastReceived, _context.Time.GetTimestamp());
                peer.Seen(_context.Time.GetUtcNow().UtcTicks);
            }
        }
        catch (Exception e)
        {
            // Reset, closed by Close, TLS alert, or a bug: in every case this connection is done.
            Close(Describe(e));
        }
    }

    /// <summary>
    /// Hands a batch to the relay unless it was already delivered (a resend after a reconnect). While the source
    /// is stopped, batches are neither taken nor acknowledged: the peer sends them again to this node's next
    /// incarnation.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DeliverAsync(Peer peer, ulong sequence, int offset, int length)
    {
        if (sequence <= peer.Delivered)
        {
            peer.CountDuplicate();
            return;
        }

        var writer = _context.EnterDelivery();
        if (writer is null)
        {
            return;
        }

        try
        {
            if (peer.Delivered != 0 && sequence > peer.Delivered + 1 && _context.GapLog.TryEnter(out _))
            {
                Log.ReceiveGap(_context.Logger, peer.Name, sequence - peer.Delivered - 1);
            }

            var result = await writer.WriteAsync(_readBuffer.AsMemory(offset, length), CancellationToken.None).ConfigureAwait(false);
            if (result == RelayResult.Invalid && _context.InvalidBatchLog.TryEnter(out long suppressed))
            {
                Log.InvalidBatch(_context.Logger, peer.Name, length, SessionContainer.Validate(_readBuffer.AsSpan(offset, length)).Describe(), suppressed);
            }

            peer.Delivered = sequence;
            peer.CountReceived();
        }
        finally
        {
            _context.ExitDelivery();
        }
    }

    private void Violation(string problem)
    {
        _context.CountMalformed();
        if (_context.MalformedLog.TryEnter(out long suppressed))
        {
            Log.Malformed(_context.Logger, _peer?.Name ?? "?", Remote, problem, suppressed);
        }

        Close(problem);
    }
}
