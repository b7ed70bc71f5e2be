using System.Net;
using System.Net.Sockets;
using Joold.Diagnostics;
using Joold.Sockets;
using Joold.Stats;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.StatsUdp;

/// <summary>
/// One bound stats socket and its loop: every datagram, whatever it holds, gets one reply with the counters, unless
/// its source is over its rate (<see cref="SourceRateLimiter"/>, shared by the exporter's sockets). Each loop owns
/// its buffers and its <see cref="SocketAddress"/>, so serving a request allocates nothing.
/// </summary>
internal sealed class StatsListener : IDisposable
{
    /// <summary>Larger than any UDP payload, so a request is never reported as truncated: its content is ignored anyway.</summary>
    private const int RequestBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly IJooldStatistics _statistics;
    private readonly ILogger _logger;
    private readonly byte[] _reply = new byte[JooldStatsText.MaxLength];
    private readonly RateLimitedLog _receiveFailures;
    private readonly RateLimitedLog _replyFailures;
    private readonly RateLimitedLog _refusals;
    private readonly SourceRateLimiter _limiter;
    private readonly int _repliesPerSecond;
    private readonly DatagramReceiver _receiver;

    public StatsListener(Socket socket, IJooldStatistics statistics, SourceRateLimiter limiter, int repliesPerSecond, ILogger logger, TimeProvider time)
    {
        _socket = socket;
        _statistics = statistics;
        _logger = logger;
        _receiveFailures = new RateLimitedLog(time: time);
        _replyFailures = new RateLimitedLog(time: time);
        _refusals = new RateLimitedLog(time: time);
        _limiter = limiter;
        _repliesPerSecond = repliesPerSecond;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;

        // C joold skips failed receives too (an ICMP error reported on the socket, say); the receiver's pause keeps a
        // socket that keeps failing from spinning.
        _receiver = new DatagramReceiver(socket, RequestBufferSize, LogReceiveFailure, time);
    }

    /// <summary>The address and port actually bound (the real port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Serves requests until <paramref name="stop"/> is cancelled or the socket is closed. One async method for the
    /// whole loop, so its state machine is allocated once, not per request.
    /// </summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (await _receiver.ReceiveAsync(stop).ConfigureAwait(false) >= 0)
            {
                if (!_limiter.TryTake(_receiver.Sender))
                {
                    LogRefusal();
                    continue;
                }

                int length = JooldStatsText.Write(_statistics.GetSnapshot(), _reply);
                try
                {
                    await _socket.SendToAsync(_reply.AsMemory(0, length), SocketFlags.None, _receiver.Sender, stop).ConfigureAwait(false);
                }
                catch (SocketException e) when (!stop.IsCancellationRequested)
                {
                    LogReplyFailure(e);
                }
            }
        }
        catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped: the socket was closed under the pending receive or send.
        }
        catch (Exception e)
        {
            Log.LoopFailed(_logger, e, LocalEndPoint.ToString());
        }
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _socket.Dispose();
    }

    private void LogReceiveFailure(SocketException e)
    {
        if (_receiveFailures.TryEnter(out long suppressed))
        {
            Log.ReceiveFailed(_logger, LocalEndPoint.ToString(), SocketText.Describe(e), suppressed);
        }
    }

    private void LogRefusal()
    {
        if (_refusals.TryEnter(out long suppressed))
        {
            Log.OverRate(_logger, LocalEndPoint.ToString(), SocketText.DescribeEndPoint(_receiver.Sender), _repliesPerSecond, suppressed);
        }
    }

    private void LogReplyFailure(SocketException e)
    {
        if (_replyFailures.TryEnter(out long suppressed))
        {
            Log.ReplyFailed(_logger, LocalEndPoint.ToString(), SocketText.DescribeEndPoint(_receiver.Sender), SocketText.Describe(e), suppressed);
        }
    }
}
