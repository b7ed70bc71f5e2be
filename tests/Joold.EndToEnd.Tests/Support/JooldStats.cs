namespace Joold.EndToEnd.Tests.Support;

/// <summary>The six counters of a stats reply, parsed strictly: exactly the six lines, in C joold's order.</summary>
internal sealed record JooldStats(long KernelSentPkts, long KernelSentBytes, long NetRcvdPkts, long NetRcvdBytes, long NetSentPkts, long NetSentBytes)
{
    public static readonly string[] Names =
        ["KERNEL_SENT_PKTS", "KERNEL_SENT_BYTES", "NET_RCVD_PKTS", "NET_RCVD_BYTES", "NET_SENT_PKTS", "NET_SENT_BYTES"];

    public static JooldStats Zero { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>Parses "KERNEL_SENT_PKTS,4\n...NET_SENT_BYTES,160\n"; anything else throws with the text.</summary>
    public static JooldStats Parse(string text)
    {
        string[] lines = text.Split('\n');
        if (lines.Length != Names.Length + 1 || lines[^1].Length != 0)
        {
            throw new FormatException($"Not six newline-terminated lines: '{text}'");
        }

        var values = new long[Names.Length];
        for (int i = 0; i < Names.Length; i++)
        {
            string[] pair = lines[i].Split(',');
            if (pair.Length != 2 || pair[0] != Names[i] || !long.TryParse(pair[1], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out values[i]))
            {
                throw new FormatException($"Line {i + 1} is not '{Names[i]},<n>': '{text}'");
            }
        }

        return new JooldStats(values[0], values[1], values[2], values[3], values[4], values[5]);
    }
}
