using System.Net;
using System.Net.Sockets;
using Joold.Diagnostics;
using Joold.Sockets;
using Joold.Stats;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.StatsUdp;

/// <summary>
/// One bound stats socket and its loop: every datagram, whatever it holds, gets one reply with the counters.
/// Each loop owns its buffers and its <see cref="SocketAddress"/>, so serving a request allocates nothing.
/// </summary>
internal sealed class StatsListener : IDisposable
{
    /// <summary>Larger than any UDP payload, so a request is never reported as truncated: its content is ignored anyway.</summary>
    private const int RequestBufferSize = 64 * 1024;

    private readonly Socket _socket;
    private readonly IJooldStatistics _statistics;
    private readonly ILogger _logger;
    private readonly byte[] _request = new byte[RequestBufferSize];
    private readonly byte[] _reply = new byte[JooldStatsText.MaxLength];
    private readonly SocketAddress _client;
    private readonly int _clientAddressSize;
    private readonly RateLimitedLog _receiveFailures;
    private readonly RateLimitedLog _replyFailures;
    private readonly ReceiveErrorBackoff _backoff;

    public StatsListener(Socket socket, IJooldStatistics statistics, ILogger logger, TimeProvider time)
    {
        _socket = socket;
        _statistics = statistics;
        _logger = logger;
        _receiveFailures = new RateLimitedLog(time: time);
        _replyFailures = new RateLimitedLog(time: time);
        _backoff = new ReceiveErrorBackoff(time);
        _clientAddressSize = SocketAddress.GetMaximumAddressSize(socket.AddressFamily);
        _client = new SocketAddress(socket.AddressFamily, _clientAddressSize);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
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
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    _client.Size = _clientAddressSize;
                    await _socket.ReceiveFromAsync(_request, SocketFlags.None, _client, stop).ConfigureAwait(false);
                }
                catch (SocketException e) when (!stop.IsCancellationRequested)
                {
                    // For example an ICMP error reported on the socket: C joold skips failed receives too, and the
                    // pause keeps a socket that keeps failing from spinning.
                    LogReceiveFailure(e);
                    await _backoff.PauseAsync(stop).ConfigureAwait(false);
                    continue;
                }

                _backoff.Reset();

                int length = JooldStatsText.Write(_statistics.GetSnapshot(), _reply);
                try
                {
                    await _socket.SendToAsync(_reply.AsMemory(0, length), SocketFlags.None, _client, stop).ConfigureAwait(false);
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

    public void Dispose() => _socket.Dispose();

    private void LogReceiveFailure(SocketException e)
    {
        if (_receiveFailures.TryEnter(out long suppressed))
        {
            Log.ReceiveFailed(_logger, LocalEndPoint.ToString(), SocketText.Describe(e), suppressed);
        }
    }

    private void LogReplyFailure(SocketException e)
    {
        if (_replyFailures.TryEnter(out long suppressed))
        {
            Log.ReplyFailed(_logger, LocalEndPoint.ToString(), SocketText.DescribeEndPoint(_client), SocketText.Describe(e), suppressed);
        }
    }
}
