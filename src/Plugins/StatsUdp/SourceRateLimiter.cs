using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Joold.Plugins.StatsUdp;

/// <summary>
/// A token bucket per source address, in a table of fixed size: the stats reply is 4.75 times the size of the
/// smallest request, so without a limit a forged source address turns the server into an amplifier aimed at it.
/// </summary>
/// <remarks>
/// Each bucket is kept as the time its next reply is due (GCRA): a source may run <c>burst</c> replies ahead of it,
/// then one per <c>1 / rate</c>. The table has <see cref="Slots"/> entries, in sets of <see cref="Ways"/> chosen by
/// a hash of the address seeded per process (a sender cannot aim at a set). A newcomer takes a slot whose bucket
/// is full again (its owner idle for a second); when all slots of its set belong to sources still over their
/// pace, it is refused: a flood of forged addresses can deny replies, never win more of them. Any port of an
/// address counts as the address; IPv4 and IPv4-mapped IPv6 are the same source. Allocation-free; thread-safe.
/// </remarks>
internal sealed class SourceRateLimiter
{
    /// <summary>Entries in the table (a power of two): 4,096 sources at 24 bytes each, about 100 KiB.</summary>
    public const int Slots = 4096;

    /// <summary>Entries a source may occupy: the set its hash picks.</summary>
    public const int Ways = 4;

    private readonly UInt128[] _sources = new UInt128[Slots];
    private readonly long[] _due = new long[Slots];
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _tolerance;
    private readonly Lock _lock = new();
    private long _refused;

    /// <summary>At most <paramref name="burst"/> replies at once to one source, then <paramref name="perSecond"/> a second.</summary>
    public SourceRateLimiter(int perSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _interval = Math.Max(1, time.TimestampFrequency / perSecond);
        _tolerance = (burst - 1) * _interval;
        Array.Fill(_due, long.MinValue);
    }

    /// <summary>Requests refused so far.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Takes one reply from <paramref name="source"/>'s bucket; false (and counted) when it is empty.</summary>
    public bool TryTake(SocketAddress source)
    {
        var address = AddressOf(source);
        int set = SetOf(address);
        long now = _time.GetTimestamp();
        lock (_lock)
        {
            int free = -1;
            for (int slot = set; slot < set + Ways; slot++)
            {
                if (_sources[slot] == address)
                {
                    return Take(slot, now);
                }

                if (free < 0 && _due[slot] <= now)
                {
                    free = slot;
                }
            }

            if (free >= 0)
            {
                _sources[free] = address;
                _due[free] = now;
                return Take(free, now);
            }

            _refused++;
            return false;
        }
    }

    /// <summary>The first slot of the set that <paramref name="source"/> may occupy (tests look for sources that share one).</summary>
    internal static int SetOf(SocketAddress source) => SetOf(AddressOf(source));

    private static int SetOf(UInt128 address)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, address);
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        return hash.ToHashCode() & (Slots - 1) & ~(Ways - 1);
    }

    /// <summary>The bucket of one slot; the caller holds the lock.</summary>
    private bool Take(int slot, long now)
    {
        long due = Math.Max(_due[slot], now);
        if (due - now > _tolerance)
        {
            _refused++;
            return false;
        }

        _due[slot] = due + _interval;
        return true;
    }

    /// <summary>
    /// The address as an IPv6 number, IPv4 as IPv4-mapped; the port is left out. sockaddr_in keeps the address at
    /// bytes 4-7, sockaddr_in6 at bytes 8-23.
    /// </summary>
    private static UInt128 AddressOf(SocketAddress source)
    {
        var raw = source.Buffer.Span[..source.Size];
        return source.Family switch
        {
            AddressFamily.InterNetwork when raw.Length >= 8 => ((UInt128)0xFFFF << 32) | BinaryPrimitives.ReadUInt32BigEndian(raw[4..8]),
            AddressFamily.InterNetworkV6 when raw.Length >= 24 => BinaryPrimitives.ReadUInt128BigEndian(raw[8..24]),
            _ => UInt128.Zero,
        };
    }
}
