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

    /// <summary>Writes the reply into <paramref name="destination"/> without allocating; returns its length.</summary>
    public static int Write(in StatsSnapshot stats, Span<byte> destination)
    {
        bool ok = System.Text.Unicode.Utf8.TryWrite(
            destination,
            System.Globalization.CultureInfo.InvariantCulture,
            $"KERNEL_SENT_PKTS,{stats.KernelSentPackets}\nKERNEL_SENT_BYTES,{stats.KernelSentBytes}\nNET_RCVD_PKTS,{stats.NetReceivedPackets}\nNET_RCVD_BYTES,{stats.NetReceivedBytes}\nNET_SENT_PKTS,{stats.NetSentPackets}\nNET_SENT_BYTES,{stats.NetSentBytes}\n",
            out int written);
        return ok ? written : throw new ArgumentException("Destination too small for the stats text.", nameof(destination));
    }
}
