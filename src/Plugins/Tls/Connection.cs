using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Joold.Plugins.Tls.Protocol;
using Joold.Relay;
using Joold.Sessions;

namespace Joold.Plugins.Tls;

/// <summary>
/// One authenticated TLS connection to a peer, after the handshake: the HELLO exchange, then a reader (batches
/// to the relay in order, once; ACKs release the peer's queue) and a writer (ACKs, PINGs, and the peer's queued
/// batches from the first unacknowledged one). Only the writer writes to the stream. Steady traffic allocates
/// nothing: the buffers are pooled and the loops are long-lived.
/// </summary>
internal sealed partial class Connection
{
    /// <summary>Room for a whole largest frame after a partial one, so a frame always fits once compacted.</summary>
    private const int ReadBufferSize = 2 * FrameCodec.MaxFrame;

    /// <summary>A largest batch frame plus an ACK and a PING always fit; small batches go out many per write.</summary>
    private const int WriteBufferSize = FrameCodec.MaxFrame + 64;

    private readonly LinkContext _context;
    private readonly Socket _socket;
    private readonly SslStream _stream;
    private readonly byte[] _readBuffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
    private readonly byte[] _writeBuffer = ArrayPool<byte>.Shared.Rent(WriteBufferSize);
    private readonly AsyncSignal _signal = new();
    private readonly TaskCompletionSource<string> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Peer? _peer;
    private Action<Connection, string>? _ended;
    private ITimer? _timer;
    private int _filled;
    private ulong _next;
    private ulong _ackToSend;
    private ulong _ackSent;
    private long _lastReceived;
    private long _lastSent;
    private volatile bool _pingDue;
    private volatile bool _finishing;
    private int _closed;
    private int _released;
    private string _closeReason = "closed";

    public Connection(LinkContext context, Socket socket, SslStream stream, bool dialed, string remote)
    {
        _context = context;
        _socket = socket;
        _stream = stream;
        Dialed = dialed;
        Remote = remote;
        RemoteCertificate = stream.RemoteCertificate as X509Certificate2
            ?? X509CertificateLoader.LoadCertificate(stream.RemoteCertificate!.GetRawCertData());
        _lastReceived = _lastSent = context.Time.GetTimestamp();
    }

    /// <summary>The peer it serves, once started.</summary>
    public Peer? Peer => _peer;

    /// <summary>Whether this node dialed it (else the peer dialed in).</summary>
    public bool Dialed { get; }

    /// <summary>The peer's address and port, for messages.</summary>
    public string Remote { get; }

    public string Direction => Dialed ? "dialed" : "accepted";

    /// <summary>The certificate the peer presented (already checked).</summary>
    public X509Certificate2 RemoteCertificate { get; }

    /// <summary>The peer's incarnation, from its HELLO.</summary>
    public ulong RemoteIncarnation { get; private set; }

    /// <summary>The incarnation of whichever side dialed: when two connections join the same nodes, the one dialed by the higher incarnation stays.</summary>
    public ulong DialerIncarnation => Dialed ? _context.Incarnation : RemoteIncarnation;

    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    /// <summary>Completes with the reason once both loops ended and everything is released.</summary>
    public Task<string> Completion => _completion.Task;

    /// <summary>
    /// Sends this node's HELLO and reads the peer's. Bytes the peer sent after its HELLO stay buffered for the
    /// reader. Throws <see cref="InvalidDataException"/> for a protocol error, <see cref="IOException"/> when the
    /// peer closes first (as it does when it refused this node's certificate).
    /// </summary>
    public async Task ExchangeHellosAsync(CancellationToken cancellationToken)
    {
        int length = FrameCodec.WriteHello(_writeBuffer, _context.Incarnation);
        await _stream.WriteAsync(_writeBuffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var error = FrameCodec.TryParse(_readBuffer.AsSpan(0, _filled), out var frame, out int consumed);
            if (error != FrameError.None)
            {
                throw new InvalidDataException($"its first frame is malformed ({error})");
            }

            if (consumed > 0)
            {
                if (frame.Type != FrameType.Hello || frame.Number == 0)
                {
                    throw new InvalidDataException(frame.Type == FrameType.Hello ? "its HELLO has incarnation 0" : $"its first frame is {frame.Type}, not HELLO");
                }

                Buffer.BlockCopy(_readBuffer, consumed, _readBuffer, 0, _filled - consumed);
                _filled -= consumed;
                RemoteIncarnation = frame.Number;
                return;
            }

            int read = await _stream.ReadAsync(_readBuffer.AsMemory(_filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("it closed the connection before its HELLO (it may have refused this node's certificate)");
            }

            _filled += read;
        }
    }

    /// <summary>Starts the loops for <paramref name="peer"/>: its queue is sent from its first unacknowledged batch.</summary>
    public void Start(Peer peer, Action<Connection, string> ended)
    {
        _peer = peer;
        _ended = ended;
        _next = peer.Queue.FirstSequence;
        _ackSent = _ackToSend = peer.Delivered;
        var tick = _context.Timings.PingInterval / 2;
        _timer = _context.Time.CreateTimer(static state => ((Connection)state!).OnTick(), this, tick, tick);

        // On a pool thread: the caller (a hand-over, under the peer's lock) must not run the reader inline.
        _ = Task.Run(RunAsync);
    }

    /// <summary>New batches for the peer, or an ACK to send: wakes the writer.</summary>
    public void Wake() => _signal.Set();

    /// <summary>Closes at once: pending reads and writes fail, the loops end. The first reason given is kept.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _closeReason = reason;
        _signal.Close();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }

    /// <summary>For a connection that was never started (refused, duplicate, failed HELLO): closes it and releases its buffers.</summary>
    public void Abandon(string reason)
    {
        Close(reason);
        Release();
    }

    /// <summary>
    /// Graceful end: the writer sends what is queued and the last ACK, then closes; forced after the drain timeout.
    /// </summary>
    public async Task FinishAsync()
    {
        _finishing = true;
        _signal.Set();
        if (_peer is null || await Task.WhenAny(Completion, Task.Delay(_context.Timings.DrainTimeout, _context.Time)).ConfigureAwait(false) != Completion)
        {
            Close("stopping");
        }
    }

    private async Task RunAsync()
    {
        await Task.WhenAll(ReadLoopAsync(), WriteLoopAsync()).ConfigureAwait(false);
        Release();
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        _timer?.Dispose();
        _stream.Dispose();
        ArrayPool<byte>.Shared.Return(_readBuffer);
        ArrayPool<byte>.Shared.Return(_writeBuffer);
        _ended?.Invoke(this, _closeReason);
        _completion.TrySetResult(_closeReason);
    }

    private void OnTick()
    {
        if (_context.Since(Volatile.Read(ref _lastReceived)) > _context.Timings.IdleTimeout)
        {
            Close($"nothing received for {_context.Timings.IdleTimeout.TotalSeconds:0.#} s");
        }
        else if (_context.Since(Volatile.Read(ref _lastSent)) >= _context.Timings.PingInterval)
        {
            _pingDue = true;
            _signal.Set();
        }
    }

    private string Describe(Exception e) => !IsOpen ? _closeReason : e switch
    {
        IOException { InnerException: SocketException socket } => socket.SocketErrorCode == SocketError.ConnectionReset ? "the peer reset the connection" : socket.Message,
        _ => e.Message,
    };
}
