using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Joold.Sockets;

/// <summary>
/// The receive side of a datagram loop, written once for every loop that serves a UDP socket: it receives into a
/// buffer and a sender address of its own (allocated once, so a datagram costs nothing), and after a receive error
/// it reports the error and pauses (<see cref="ReceiveErrorBackoff"/>) before it tries again, so a socket that keeps
/// failing cannot spin a core. Datagrams are waited for on a thread of the receiver's own (<see cref="ReceiveThread"/>),
/// on which the loop then runs; it ends once <c>stopping</c> is cancelled. One per loop; not thread-safe.
/// While the socket's fd is in blocking mode the thread waits in recvfrom(2) itself, one system call a datagram as in
/// C joold, and a stop shuts the socket down for reading (<see cref="ShutdownInterrupt"/>), so a socket is received
/// from by one loop in its life; sends on it must then not block either (<see cref="DatagramSender"/>). Once the
/// runtime made the fd non-blocking (an asynchronous send), the thread waits in ppoll(2) instead.
/// </summary>
/// <example>
/// <code>
/// var receiver = new DatagramReceiver(socket, 64 * 1024, e => LogRateLimited(e), time);
/// int length;
/// while ((length = await receiver.ReceiveAsync(stopping)) >= 0)
/// {
///     Handle(receiver.Buffer.AsMemory(0, length), receiver.Sender);
/// }
/// </code>
/// </example>
public sealed class DatagramReceiver : IDisposable
{
    private readonly ReceiveThread _thread;
    private readonly Action<SocketException> _onError;
    private readonly ReceiveErrorBackoff _backoff;
    private readonly int _senderSize;

    /// <summary>
    /// A receiver for <paramref name="socket"/> with a buffer of <paramref name="bufferLength"/> bytes (a datagram
    /// longer than that is cut). <paramref name="onError"/> is told of each failed receive, before the pause; the
    /// pauses run on <paramref name="time"/> (the system clock when null).
    /// </summary>
    /// With <paramref name="slots"/> above 1, <see cref="ReceiveManyAsync"/> takes up to that many waiting datagrams
    /// at once into <see cref="Batch"/>, whose first slot is <see cref="Buffer"/> and <see cref="Sender"/>.
    public DatagramReceiver(Socket socket, int bufferLength, Action<SocketException> onError, TimeProvider? time = null, int slots = 1)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(onError);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferLength);
        _thread = new ReceiveThread(socket.SafeHandle, "Joold UDP recv", new ShutdownInterrupt(socket.SafeHandle));
        _onError = onError;
        _backoff = new ReceiveErrorBackoff(time);
        _senderSize = SocketAddress.GetMaximumAddressSize(socket.AddressFamily);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        if (slots > 1)
        {
            Batch = new DatagramBatch(slots, bufferLength, socket.AddressFamily);
            Sender = Batch.Sender(0);
            Buffer = Batch.BufferOf(0);
        }
        else
        {
            Sender = new SocketAddress(socket.AddressFamily, _senderSize);
            Buffer = GC.AllocateUninitializedArray<byte>(bufferLength, pinned: true);
        }
    }

    /// <summary>Where <see cref="ReceiveManyAsync"/> receives; null with one slot.</summary>
    public DatagramBatch? Batch { get; }

    /// <summary>Where each datagram is received; valid up to the length <see cref="ReceiveAsync(CancellationToken)"/> returned, until the next call.</summary>
    public byte[] Buffer { get; }

    /// <summary>Who sent the datagram <see cref="ReceiveAsync(CancellationToken)"/> returned last, until the next call.</summary>
    public SocketAddress Sender { get; }

    /// <summary>
    /// Receives the next datagram into <see cref="Buffer"/> and returns its length; returns -1 once
    /// <paramref name="stopping"/> is cancelled, also when the socket was closed under the receive because of it.
    /// A receive that fails otherwise goes to the error callback and is tried again after the pause. An exception
    /// while not stopping (the socket closed by someone else) is thrown.
    /// </summary>
    public ValueTask<int> ReceiveAsync(CancellationToken stopping) => ReceiveAsync(many: false, stopping);

    /// <summary>
    /// Receives the datagrams waiting, at least one and at most <see cref="DatagramBatch.Slots"/>, into
    /// <see cref="Batch"/> with one system call and returns how many; -1 and errors as <see cref="ReceiveAsync(CancellationToken)"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The receiver has one slot.</exception>
    public ValueTask<int> ReceiveManyAsync(CancellationToken stopping) =>
        Batch is null ? throw new InvalidOperationException("This receiver has a single slot.") : ReceiveAsync(many: true, stopping);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveAsync(bool many, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                Sender.Size = _senderSize;
                int length = many
                    ? await _thread.ReceiveAsync(Batch!, stopping).ConfigureAwait(false)
                    : await _thread.ReceiveAsync(Buffer, Sender, stopping).ConfigureAwait(false);
                _backoff.Reset();
                return length;
            }
            catch (Exception e) when (stopping.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return -1;
            }
            catch (SocketException e)
            {
                _onError(e);
            }

            try
            {
                await _backoff.PauseAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>True while the receive thread runs (for tests: it must end with the loop).</summary>
    internal bool IsReceiving => _thread.IsRunning;

    /// <summary>Ends the receive thread at once (it also ends when <c>stopping</c> is cancelled). Idempotent.</summary>
    public void Dispose() => _thread.Dispose();
}
