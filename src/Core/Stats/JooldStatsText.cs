using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Joold.Stats;

/// <summary>The exact text C joold's stats server replies with (spec 5.7): writing it, and reading it back.</summary>
public static class JooldStatsText
{
    /// <summary>Enough for six names and six 64-bit values.</summary>
    public const int MaxLength = 512;

    /// <summary>The six names, in the order of the reply.</summary>
    private static readonly string[] Names =
        ["KERNEL_SENT_PKTS", "KERNEL_SENT_BYTES", "NET_RCVD_PKTS", "NET_RCVD_BYTES", "NET_SENT_PKTS", "NET_SENT_BYTES"];

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

    /// <summary>
    /// Reads a stats reply back into the six counters it carries (the other fields of <paramref name="stats"/> stay
    /// zero). Strict, as a client that checks the wire format needs: exactly the six lines this class writes, in
    /// their order, each <c>NAME,value</c> ended by <c>\n</c>, the value plain decimal digits that fit a
    /// <see cref="long"/>, nothing before or after.
    /// </summary>
    /// <returns>Whether <paramref name="text"/> is such a reply.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out StatsSnapshot stats) => TryParse(text, out stats, out _);

    /// <summary>As <see cref="TryParse(ReadOnlySpan{char}, out StatsSnapshot)"/>, and says what is wrong when it fails.</summary>
    /// <param name="text">The reply, for example the datagram decoded as ASCII.</param>
    /// <param name="stats">The six counters; <see langword="default"/> when the text is not a reply.</param>
    /// <param name="error">
    /// <see langword="null"/> on success; otherwise one sentence naming the first line that is wrong and what was
    /// expected there, for a test's or operator's message.
    /// </param>
    /// <returns>Whether <paramref name="text"/> is such a reply.</returns>
    public static bool TryParse(ReadOnlySpan<char> text, out StatsSnapshot stats, [NotNullWhen(false)] out string? error)
    {
        stats = default;
        Span<long> values = stackalloc long[6];
        var rest = text;
        for (int i = 0; i < Names.Length; i++)
        {
            int newline = rest.IndexOf('\n');
            if (newline < 0)
            {
                error = rest.IsEmpty
                    ? $"line {i + 1} ({Names[i]}) is missing: the reply has {i} lines, not 6."
                    : $"line {i + 1} (\"{Shorten(rest)}\") does not end with a newline.";
                return false;
            }

            var line = rest[..newline];
            if (!line.StartsWith(Names[i], StringComparison.Ordinal)
                || line.Length == Names[i].Length
                || line[Names[i].Length] != ','
                || !TryParseValue(line[(Names[i].Length + 1)..], out values[i]))
            {
                error = $"line {i + 1} is \"{Shorten(line)}\", not \"{Names[i]},<decimal count>\".";
                return false;
            }

            rest = rest[(newline + 1)..];
        }

        if (!rest.IsEmpty)
        {
            error = $"the six lines are followed by \"{Shorten(rest)}\".";
            return false;
        }

        stats = new StatsSnapshot
        {
            KernelSentPackets = values[0],
            KernelSentBytes = values[1],
            NetReceivedPackets = values[2],
            NetReceivedBytes = values[3],
            NetSentPackets = values[4],
            NetSentBytes = values[5],
        };
        error = null;
        return true;
    }

    /// <summary>As <see cref="TryParse(ReadOnlySpan{char}, out StatsSnapshot, out string?)"/>, throwing when the text is not a reply.</summary>
    /// <exception cref="FormatException">The text is not a stats reply; the message says why and quotes it.</exception>
    public static StatsSnapshot Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var stats, out string? error)
            ? stats
            : throw new FormatException($"Not a joold stats reply: {error} The reply: \"{Shorten(text)}\"");

    private static void Line(Span<byte> destination, ref int length, ReadOnlySpan<byte> name, long value)
    {
        name.CopyTo(destination[length..]);
        length += name.Length;
        value.TryFormat(destination[length..], out int written, default, CultureInfo.InvariantCulture);
        length += written;
        destination[length++] = (byte)'\n';
    }

    /// <summary>Digits only: no sign, space or separator, as C joold prints them.</summary>
    private static bool TryParseValue(ReadOnlySpan<char> digits, out long value) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Quoted text in messages stays readable: a garbage datagram may be 64 KiB.</summary>
    private static string Shorten(ReadOnlySpan<char> text) =>
        (text.Length <= MaxLength ? text.ToString() : $"{text[..MaxLength]}... ({text.Length} characters)")
            .Replace("\n", "\\n", StringComparison.Ordinal);
}
