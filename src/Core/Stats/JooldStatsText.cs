using System.Globalization;
using System.Text;

namespace Joold.Stats;

/// <summary>The exact text C joold's stats server replies with (spec 5.7).</summary>
public static class JooldStatsText
{
    /// <summary>Enough for six names and six 64-bit values.</summary>
    public const int MaxLength = 512;

    /// <summary>The six lines, each "NAME,value\n", ASCII, no trailing NUL.</summary>
    public static string Format(in StatsSnapshot stats)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        return Encoding.ASCII.GetString(buffer[..Write(stats, buffer)]);
    }

    /// <summary>
    /// Writes the reply into <paramref name="destination"/>; returns its length. Built piece by piece rather than
    /// with an interpolated string, which allocates until the JIT has optimized it.
    /// </summary>
    public static int Write(in StatsSnapshot stats, Span<byte> destination)
    {
        if (destination.Length < MaxLength)
        {
            throw new ArgumentException($"The stats text needs up to {MaxLength} bytes; got {destination.Length}.", nameof(destination));
        }

        int length = 0;
        Line(destination, ref length, "KERNEL_SENT_PKTS,"u8, stats.KernelSentPackets);
        Line(destination, ref length, "KERNEL_SENT_BYTES,"u8, stats.KernelSentBytes);
        Line(destination, ref length, "NET_RCVD_PKTS,"u8, stats.NetReceivedPackets);
        Line(destination, ref length, "NET_RCVD_BYTES,"u8, stats.NetReceivedBytes);
        Line(destination, ref length, "NET_SENT_PKTS,"u8, stats.NetSentPackets);
        Line(destination, ref length, "NET_SENT_BYTES,"u8, stats.NetSentBytes);
        return length;
    }

    private static void Line(Span<byte> destination, ref int length, ReadOnlySpan<byte> name, long value)
    {
        name.CopyTo(destination[length..]);
        length += name.Length;
        value.TryFormat(destination[length..], out int written, default, CultureInfo.InvariantCulture);
        length += written;
        destination[length++] = (byte)'\n';
    }
}
