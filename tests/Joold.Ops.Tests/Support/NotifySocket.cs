using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace Joold.Ops.Tests.Support;

/// <summary>
/// systemd's side of sd_notify: a datagram socket at NOTIFY_SOCKET that collects what the daemon sends
/// (READY=1, WATCHDOG=1, STOPPING=1), one message per datagram.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public NotifySocket(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public string Path { get; }

    /// <summary>Messages received so far, in order.</summary>
    public IReadOnlyList<string> Messages => _messages.ToArray();

    public int Count(string message) => _messages.Count(m => m.Split('\n').Contains(message));

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                _messages.Enqueue(Encoding.ASCII.GetString(buffer, 0, n));
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
