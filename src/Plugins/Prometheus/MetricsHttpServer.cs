using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Diagnostics;
using Joold.Sockets;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Prometheus;

/// <summary>
/// The smallest HTTP/1.1 server a scraper needs: <c>GET /metrics</c> (or <c>HEAD</c>) gets the exposition text,
/// anything else 404, one request per connection. A plain socket rather than <see cref="HttpListener"/>, whose
/// prefix matching also serves <c>/metrics/anything</c> and refuses a Host header other than the bound literal
/// (a scrape of <c>localhost:9464</c> when listening on 127.0.0.1).
/// </summary>
internal sealed class MetricsHttpServer : IDisposable
{
    private const int MaxRequestHead = 8192;
    private const int MaxConnections = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly Func<Stream, CancellationToken, Task> _writeMetrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _connections = new(MaxConnections);
    private readonly RateLimitedLog _acceptLog = new();
    private readonly RateLimitedLog _serveLog = new();

    /// <summary>Binds and listens now, so a taken port fails the start; serving begins with <see cref="RunAsync"/>.</summary>
    public MetricsHttpServer(IPEndPoint endPoint, Func<Stream, CancellationToken, Task> writeMetrics, ILogger logger)
    {
        _writeMetrics = writeMetrics;
        _logger = logger;
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                _socket.DualMode = true;
            }

            // Also refuses an address of no interface where Linux's bind() would take it (no IPv4 address at all).
            LocalBind.Bind(_socket, endPoint);
            _socket.Listen(MaxConnections);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                await _connections.WaitAsync(stop).ConfigureAwait(false);
                client = await _socket.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _connections.Release();
                if (_acceptLog.TryEnter(out long suppressed))
                {
                    Log.AcceptFailed(_logger, LocalEndPoint.ToString(), SocketText.Describe(e), suppressed);
                }

                // A persistent error (out of file descriptors) must not spin a core.
                await Task.Delay(TimeSpan.FromMilliseconds(100), stop).ConfigureAwait(false);
                continue;
            }

            _ = ServeAsync(client, stop);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _connections.Dispose();
    }

    private async Task ServeAsync(Socket client, CancellationToken stop)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(RequestTimeout);
            await using var stream = new NetworkStream(client, ownsSocket: true);
            string? requestLine = await ReadRequestLineAsync(stream, timeout.Token).ConfigureAwait(false);
            string[] parts = requestLine?.Split(' ') ?? [];
            if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
            {
                await RespondAsync(stream, "400 Bad Request", "text/plain; charset=utf-8", "Bad request.\n"u8.ToArray(), true, timeout.Token).ConfigureAwait(false);
                return;
            }

            string path = parts[1].Split('?')[0];
            bool head = parts[0] == "HEAD";
            if ((parts[0] == "GET" || head) && path == "/metrics")
            {
                using var body = new MemoryStream();
                await _writeMetrics(body, timeout.Token).ConfigureAwait(false);
                await RespondAsync(stream, "200 OK", "text/plain; version=0.0.4; charset=utf-8", body.ToArray(), !head, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await RespondAsync(stream, "404 Not Found", "text/plain; charset=utf-8", "Not found: metrics are at /metrics.\n"u8.ToArray(), !head, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (!stop.IsCancellationRequested && _serveLog.TryEnter(out long suppressed))
            {
                Log.ServeFailed(_logger, LocalEndPoint.ToString(), DescribeClient(client), e.Message, suppressed);
            }
        }
        finally
        {
            client.Dispose();
            ReleaseConnection();
        }
    }

    private void ReleaseConnection()
    {
        try
        {
            _connections.Release();
        }
        catch (ObjectDisposedException)
        {
            // Stopped meanwhile.
        }
    }

    /// <summary>Reads the request head (up to the blank line) and returns its first line; null if it never ends.</summary>
    private static async Task<string?> ReadRequestLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var head = new byte[MaxRequestHead];
        int length = 0;
        while (length < head.Length)
        {
            int read = await stream.ReadAsync(head.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            int end = head.AsSpan(0, length).IndexOf(HeadEnd);
            if (end >= 0)
            {
                int lineEnd = head.AsSpan(0, end + 2).IndexOf("\r\n"u8);
                return Encoding.ASCII.GetString(head, 0, lineEnd);
            }
        }

        return null;
    }

    private static async Task RespondAsync(Stream stream, string status, string contentType, byte[] body, bool withBody, CancellationToken cancellationToken)
    {
        string header = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(header), cancellationToken).ConfigureAwait(false);
        if (withBody)
        {
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string DescribeClient(Socket client)
    {
        try
        {
            return client.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (ObjectDisposedException)
        {
            return "?";
        }
    }
}
