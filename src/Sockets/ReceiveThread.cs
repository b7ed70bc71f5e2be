using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;
using Tmds.Linux;

namespace Joold.Sockets;

/// <summary>
/// Receives one socket's datagrams on a thread of its own. With an interrupt and a blocking fd it only blocks in the
/// receive (recvfrom(2), or recvmmsg(2) for several at once); otherwise it waits in ppoll(2), then reads: one or two
/// system calls a datagram, where the runtime's socket engine makes three to four on its shared epoll thread. The
/// caller's continuation runs on this thread at once, so a loop that handles each datagram and asks again stays on
/// this one thread, with no hop to the thread pool (C joold's shape: one thread blocked per socket). Nothing is
/// allocated per datagram. One receive at a time.
/// </summary>
/// <remarks>
/// The thread starts at the first receive and ends when the token of the latest receive is cancelled (a pending
/// receive then ends with <see cref="OperationCanceledException"/>), when the socket is closed, or at
/// <see cref="Dispose"/>; a later receive starts a new one. Cancelling wakes it through an eventfd, so ending a
/// receive never depends on the socket (shutdown(2) does nothing to a netlink socket). The socket's fd may be in
/// blocking or non-blocking mode: reads use MSG_DONTWAIT, so the runtime may still send on the same socket.
/// </remarks>
public sealed class ReceiveThread : IValueTaskSource<int>, IDisposable
{
    /// <summary>POLLRDHUP | POLLHUP | POLLNVAL: the socket will not give data again.</summary>
    private static readonly int Hangup = (ushort)LibC.POLLRDHUP | (ushort)LibC.POLLHUP | (ushort)LibC.POLLNVAL;

    private readonly SafeHandle _socket;
    private readonly string _threadName;
    private readonly IReceiveInterrupt? _interrupt;
    private readonly object _gate = new();
    private ManualResetValueTaskSourceCore<int> _core;
    private Memory<byte> _buffer;
    private SocketAddress? _sender;
    private DatagramBatch? _batch;
    private CancellationToken _token;
    private CancellationTokenRegistration _registration;
    private WakeEvent? _wake;
    private Thread? _thread;
    private int _threadId;
    private bool _pending;
    private volatile bool _blocking;
    private bool _idle;
    private bool _disposed;

    /// <summary>
    /// A receiver for <paramref name="socket"/>; its thread, once started, is named <paramref name="threadName"/>.
    /// With an <paramref name="interrupt"/>, a socket in blocking mode is read with a blocking recvfrom(2) alone,
    /// which the interrupt ends; a socket in non-blocking mode (or without one) is waited for in ppoll(2).
    /// </summary>
    public ReceiveThread(SafeHandle socket, string threadName, IReceiveInterrupt? interrupt = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentException.ThrowIfNullOrEmpty(threadName);
        _socket = socket;
        _threadName = threadName;
        _interrupt = interrupt;
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>True while the thread runs (for tests: it must end with the loop).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _thread is not null;
            }
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/> (cut to its length when longer) and returns its length;
    /// <paramref name="sender"/>, when given, receives the sender's address (its <see cref="SocketAddress.Size"/>
    /// is set to it). Both must stay untouched until the task completes.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The socket or this receiver was closed.</exception>
    /// <exception cref="SocketException">The receive failed (ENOBUFS: <see cref="SocketError.NoBufferSpaceAvailable"/>).</exception>
    /// <exception cref="InvalidOperationException">A receive is already pending.</exception>
    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, SocketAddress? sender, CancellationToken cancellationToken) =>
        Start(buffer, sender, null, cancellationToken);

    /// <summary>
    /// Receives the datagrams waiting, at least one, into <paramref name="batch"/> with one recvmmsg(2) and returns
    /// how many; otherwise as <see cref="ReceiveAsync(Memory{byte}, SocketAddress?, CancellationToken)"/>.
    /// </summary>
    public ValueTask<int> ReceiveAsync(DatagramBatch batch, CancellationToken cancellationToken) =>
        Start(default, null, batch ?? throw new ArgumentNullException(nameof(batch)), cancellationToken);

    private ValueTask<int> Start(Memory<byte> buffer, SocketAddress? sender, DatagramBatch? batch, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);

        // Asked from another thread (the first receive, or the loop went asynchronous): what is already waiting is
        // taken now, as the runtime's sockets do. On the receive thread this try would fail every time when
        // datagrams come one by one, so there the thread waits first.
        if (Environment.CurrentManagedThreadId != Volatile.Read(ref _threadId) && TryReceiveNow(buffer, sender, batch, out int length) is var done && done.Completed)
        {
            return done.Error is null ? new ValueTask<int>(length) : ValueTask.FromException<int>(done.Error);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pending)
            {
                throw new InvalidOperationException("A receive is already pending on this socket.");
            }

            _core.Reset();
            _buffer = buffer;
            _sender = sender;
            _batch = batch;
            if (!cancellationToken.Equals(_token))
            {
                // Registered once per token, not per receive: a loop passes the same one every time.
                _registration.Unregister();
                _token = cancellationToken;
                _registration = cancellationToken.UnsafeRegister(static state => ((ReceiveThread)state!).Wake(), this);
            }

            _pending = true;
            if (_thread is null)
            {
                _wake = new WakeEvent();
                _blocking = _interrupt is not null;
                _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = _threadName };
                _thread.UnsafeStart();
            }
            else if (_idle)
            {
                // Asked from another thread (the loop went asynchronous): the thread waits for it.
                Monitor.Pulse(_gate);
            }

            return new ValueTask<int>(this, _core.Version);
        }
    }

    /// <summary>Ends the thread (a pending receive ends with <see cref="ObjectDisposedException"/>). Idempotent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _registration.Unregister();
            Monitor.Pulse(_gate);
        }

        Wake();
    }

    int IValueTaskSource<int>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Wake()
    {
        WakeEvent? wake;
        lock (_gate)
        {
            Monitor.Pulse(_gate);
            wake = _wake;
        }

        wake?.Set();
        if (_blocking)
        {
            _interrupt!.Interrupt();
        }
    }

    private (bool Completed, Exception? Error) TryReceiveNow(Memory<byte> buffer, SocketAddress? sender, DatagramBatch? batch, out int length)
    {
        length = 0;
        bool added = false;
        try
        {
            _socket.DangerousAddRef(ref added);
            int result;
            do
            {
                result = SocketReads.Read((int)_socket.DangerousGetHandle(), buffer, sender, batch, LibC.MSG_DONTWAIT, out length);
            }
            while (result == 0 && IsInterrupt(buffer, sender, batch, length));

            return result == LibC.EAGAIN || result == LibC.EINTR ? (false, null)
                : (true, result == 0 ? null : SocketErrors.From(result, "recvfrom"));
        }
        catch (ObjectDisposedException e)
        {
            return (true, e);
        }
        finally
        {
            if (added)
            {
                _socket.DangerousRelease();
            }
        }
    }

    private void Run()
    {
        var wake = _wake!;
        Volatile.Write(ref _threadId, Environment.CurrentManagedThreadId);
        try
        {
            while (true)
            {
                Memory<byte> buffer;
                SocketAddress? sender;
                DatagramBatch? batch;
                CancellationToken token;
                lock (_gate)
                {
                    while (!_pending && !_disposed && !_token.IsCancellationRequested)
                    {
                        _idle = true;
                        Monitor.Wait(_gate);
                        _idle = false;
                    }

                    if (!_pending)
                    {
                        _thread = null;
                        return;
                    }

                    buffer = _buffer;
                    sender = _sender;
                    batch = _batch;
                    token = _token;
                }

                var error = Receive(wake, buffer, sender, batch, token, out int length);
                bool ending = error is OperationCanceledException or ObjectDisposedException;
                lock (_gate)
                {
                    // Before the completion: the continuation may ask for the next datagram on this thread.
                    _pending = false;
                    if (ending)
                    {
                        _thread = null;
                    }
                }

                if (error is null)
                {
                    _core.SetResult(length);
                }
                else
                {
                    _core.SetException(error);
                }

                if (ending)
                {
                    return;
                }
            }
        }
        finally
        {
            wake.Dispose();
        }
    }

    /// <summary>Waits for a datagram or a wake-up, then reads; the error instead of throwing it.</summary>
    private unsafe Exception? Receive(WakeEvent wake, Memory<byte> buffer, SocketAddress? sender, DatagramBatch? batch, CancellationToken token, out int length)
    {
        length = 0;
        bool added = false;
        try
        {
            // The reference keeps the fd (and its number) ours while the thread waits on it.
            _socket.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException e)
        {
            return e;
        }

        try
        {
            int fd = (int)_socket.DangerousGetHandle();
            var fds = stackalloc pollfd[2];
            while (true)
            {
                if (token.IsCancellationRequested)
                {
                    return new OperationCanceledException(token);
                }

                if (_socket.IsClosed || Volatile.Read(ref _disposed))
                {
                    return new ObjectDisposedException(nameof(Socket));
                }

                if (_blocking)
                {
                    int blocked = SocketReads.Read(fd, buffer, sender, batch, 0, out length);
                    if (blocked == 0 && !IsInterrupt(buffer, sender, batch, length))
                    {
                        return _socket.IsClosed ? new ObjectDisposedException(nameof(Socket)) : null;
                    }

                    if (blocked == 0 && _interrupt!.EndsReceiving && !token.IsCancellationRequested && !Volatile.Read(ref _disposed))
                    {
                        // Shut down by an earlier stop: it would read end of file for ever.
                        return new ObjectDisposedException(nameof(Socket));
                    }

                    if (blocked == LibC.EAGAIN)
                    {
                        // The fd is in non-blocking mode: from now on this thread waits in ppoll.
                        _blocking = false;
                    }
                    else if (blocked != 0 && blocked != LibC.EINTR)
                    {
                        return _socket.IsClosed ? new ObjectDisposedException(nameof(Socket)) : SocketErrors.From(blocked, "recvfrom");
                    }

                    continue;
                }

                fds[0] = new pollfd { fd = fd, events = (short)(LibC.POLLIN | LibC.POLLRDHUP) };
                fds[1] = new pollfd { fd = wake.Fd, events = LibC.POLLIN };
                if (LibC.ppoll(fds, 2, null, null) < 0)
                {
                    int pollError = LibC.errno;
                    if (pollError == LibC.EINTR)
                    {
                        continue;
                    }

                    return SocketErrors.From(pollError, "ppoll");
                }

                if (fds[1].revents != 0)
                {
                    wake.Clear();
                    continue;
                }

                if (((ushort)fds[0].revents & Hangup) != 0)
                {
                    // Shut down for reading: the runtime does that when the socket is closed while this thread
                    // holds it. A non-blocking read would then fail with EAGAIN for ever, never with end of file.
                    return new ObjectDisposedException(nameof(Socket));
                }

                var result = SocketReads.Read(fd, buffer, sender, batch, LibC.MSG_DONTWAIT, out length);
                if (result == 0 && IsInterrupt(buffer, sender, batch, length))
                {
                    continue;
                }

                if (result != LibC.EAGAIN && result != LibC.EINTR)
                {
                    // A socket closed while the thread waited reads as end of file: that is no datagram.
                    return _socket.IsClosed ? new ObjectDisposedException(nameof(Socket))
                        : result == 0 ? null
                        : SocketErrors.From(result, "recvfrom");
                }
            }
        }
        finally
        {
            if (added)
            {
                _socket.DangerousRelease();
            }
        }
    }

    /// <summary>A datagram the interrupt sent, left over from a wake-up that found the thread awake: never returned.</summary>
    private bool IsInterrupt(Memory<byte> buffer, SocketAddress? sender, DatagramBatch? batch, int length) => batch is null
        ? _interrupt?.IsInterrupt(buffer.Span[..length], sender) == true
        : batch.IsEndOfFile(length) && _interrupt?.IsInterrupt(default, null) == true;
}
