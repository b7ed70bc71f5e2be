using Joold.Plugins.Tls.Protocol;

namespace Joold.Plugins.Tls;

/// <summary>The writer, the only one that writes to the stream: ACKs, PINGs, and the peer's queued batches.</summary>
internal sealed partial class Connection
{
    private async Task WriteLoopAsync()
    {
        var peer = _peer!;
        try
        {
            while (await _signal.WaitAsync().ConfigureAwait(false))
            {
                int length;
                do
                {
                    length = 0;
                    ulong ack = Volatile.Read(ref _ackToSend);
                    if (ack > _ackSent)
                    {
                        length += FrameCodec.WriteAck(_writeBuffer, ack);
                        _ackSent = ack;
                    }

                    if (_pingDue)
                    {
                        _pingDue = false;
                        length += FrameCodec.WritePing(_writeBuffer.AsSpan(length));
                    }

                    length += peer.Queue.WriteFrames(ref _next, _writeBuffer.AsSpan(length, WriteBufferSize - length), out int frames);
                    CountSent(peer, frames);
                    if (length > 0)
                    {
                        await _stream.WriteAsync(_writeBuffer.AsMemory(0, length)).ConfigureAwait(false);
                        Volatile.Write(ref _lastSent, _context.Time.GetTimestamp());
                    }
                }
                while (length > 0 && IsOpen);

                if (_finishing)
                {
                    await WriteLastAckAsync(peer).ConfigureAwait(false);
                    Close("stopping");
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // Reset, closed by Close, TLS alert, or a bug: in every case this connection is done.
            Close(Describe(e));
        }
    }

    /// <summary>
    /// The ACK of everything the relay took. The reader records a delivery's ACK only after the frames it parsed, so a
    /// stop can come in between (seen at load ~50); deliveries ended before the finish (StopDeliveriesAsync), so
    /// <see cref="Peer.Delivered"/> is final. A batch taken but not acknowledged would come again to this node's next
    /// incarnation and be added twice.
    /// </summary>
    private async Task WriteLastAckAsync(Peer peer)
    {
        ulong last = Math.Max(Volatile.Read(ref _ackToSend), peer.Delivered);
        if (last > _ackSent && IsOpen)
        {
            int length = FrameCodec.WriteAck(_writeBuffer, last);
            await _stream.WriteAsync(_writeBuffer.AsMemory(0, length)).ConfigureAwait(false);
            _ackSent = last;
        }
    }

    /// <summary>Batches up to <see cref="Peer.HighestSent"/> went out before (on this or an earlier connection): resent.</summary>
    private void CountSent(Peer peer, int frames)
    {
        if (frames == 0)
        {
            return;
        }

        ulong last = _next - 1;
        ulong first = _next - (ulong)frames;
        long again = peer.HighestSent >= first ? (long)(Math.Min(peer.HighestSent, last) - first + 1) : 0;
        peer.CountSent(frames - again, again);
        peer.HighestSent = Math.Max(peer.HighestSent, last);
    }
}
