using System.Globalization;

namespace Joold.LoadTest;

/// <summary>The six counters a joold stats server answers with.</summary>
internal sealed record DaemonStats(long KernelSentPkts, long KernelSentBytes, long NetRcvdPkts, long NetRcvdBytes, long NetSentPkts, long NetSentBytes)
{
    public static DaemonStats Parse(string reply)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in reply.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] pair = line.Split(',');
            if (pair.Length == 2 && long.TryParse(pair[1], CultureInfo.InvariantCulture, out long value))
            {
                values[pair[0]] = value;
            }
        }

        long Get(string name) => values.TryGetValue(name, out long v) ? v : throw new FormatException($"No {name} in the stats reply: {reply}");
        return new DaemonStats(Get("KERNEL_SENT_PKTS"), Get("KERNEL_SENT_BYTES"), Get("NET_RCVD_PKTS"), Get("NET_RCVD_BYTES"), Get("NET_SENT_PKTS"), Get("NET_SENT_BYTES"));
    }

    public static DaemonStats operator -(DaemonStats after, DaemonStats before) => new(
        after.KernelSentPkts - before.KernelSentPkts,
        after.KernelSentBytes - before.KernelSentBytes,
        after.NetRcvdPkts - before.NetRcvdPkts,
        after.NetRcvdBytes - before.NetRcvdBytes,
        after.NetSentPkts - before.NetSentPkts,
        after.NetSentBytes - before.NetSentBytes);
}
