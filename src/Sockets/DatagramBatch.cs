using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Joold.Sockets;

/// <summary>
/// Room for several datagrams received by one recvmmsg(2): a buffer and a sender address per slot, and the message
/// headers pointing at them, all pinned and built once, so a receive allocates nothing. With MSG_WAITFORONE the
/// call blocks for the first datagram only and then takes what else is already waiting, so datagrams that queued up
/// under load cost one system call together, and a lone one costs no more than recvfrom(2).
/// </summary>
public sealed unsafe partial class DatagramBatch
{
    private readonly byte[][] _buffers;
    private readonly SocketAddress[] _senders;
    private readonly mmsghdr[] _messages;
    private readonly iovec[] _vectors;
    private readonly sockaddr_storage[] _addresses;
    private readonly int[] _lengths;

    /// <summary><paramref name="slots"/> datagrams of up to <paramref name="bufferLength"/> bytes each (longer ones are cut).</summary>
    public DatagramBatch(int slots, int bufferLength, System.Net.Sockets.AddressFamily family)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferLength);
        int senderSize = SocketAddress.GetMaximumAddressSize(family);
        _buffers = new byte[slots][];
        _senders = new SocketAddress[slots];
        _lengths = new int[slots];
        _messages = GC.AllocateArray<mmsghdr>(slots, pinned: true);
        _vectors = GC.AllocateArray<iovec>(slots, pinned: true);
        _addresses = GC.AllocateArray<sockaddr_storage>(slots, pinned: true);
        for (int i = 0; i < slots; i++)
        {
            // Uninitialized: the pages of a slot no datagram ever reached are never touched, so they cost no memory.
            _buffers[i] = GC.AllocateUninitializedArray<byte>(bufferLength, pinned: true);
            _senders[i] = new SocketAddress(family, senderSize);
            _vectors[i] = new iovec { iov_base = Unsafe.AsPointer(ref _buffers[i][0]), iov_len = (size_t)bufferLength };
        }
    }

    /// <summary>How many datagrams one receive can take.</summary>
    public int Slots => _buffers.Length;

    /// <summary>The datagram in <paramref name="slot"/> of the last receive.</summary>
    public ReadOnlyMemory<byte> Datagram(int slot) => _buffers[slot].AsMemory(0, _lengths[slot]);

    /// <summary>The whole buffer of <paramref name="slot"/>.</summary>
    internal byte[] BufferOf(int slot) => _buffers[slot];

    /// <summary>Who sent the datagram in <paramref name="slot"/> of the last receive.</summary>
    public SocketAddress Sender(int slot) => _senders[slot];

    /// <summary>One recvmmsg(2) with <paramref name="flags"/> | MSG_WAITFORONE; 0 or the errno.</summary>
    internal int Receive(int fd, int flags, out int count)
    {
        for (int i = 0; i < _messages.Length; i++)
        {
            _messages[i] = new mmsghdr
            {
                msg_hdr = new msghdr
                {
                    msg_name = Unsafe.AsPointer(ref _addresses[i]),
                    msg_namelen = (socklen_t)sizeof(sockaddr_storage),
                    msg_iov = (iovec*)Unsafe.AsPointer(ref _vectors[i]),
                    msg_iovlen = 1,
                },
            };
        }

        int received;
        do
        {
            received = recvmmsg(fd, (mmsghdr*)Unsafe.AsPointer(ref _messages[0]), (uint)_messages.Length, flags | LibC.MSG_WAITFORONE, null);
        }
        while (received < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);

        if (received < 0)
        {
            count = 0;
            return Marshal.GetLastPInvokeError();
        }

        count = received;
        for (int i = 0; i < received; i++)
        {
            _lengths[i] = (int)_messages[i].msg_len;
            int size = (int)_messages[i].msg_hdr.msg_namelen;
            var sender = _senders[i];
            size = Math.Min(size, sender.Buffer.Length);
            new ReadOnlySpan<byte>(Unsafe.AsPointer(ref _addresses[i]), size).CopyTo(sender.Buffer.Span);
            sender.Size = size;
        }

        return 0;
    }

    /// <summary>True when the last receive was the end of file a shut-down socket reads: one empty datagram, no sender.</summary>
    internal bool IsEndOfFile(int count) => count == 1 && _lengths[0] == 0 && _senders[0].Size == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int recvmmsg(int fd, mmsghdr* messages, uint length, int flags, timespec* timeout);
}
