using System.Globalization;
using System.Text;
using Joold.Stats;

namespace Joold.Host.Hosting;

/// <summary>Every counter of the daemon on one line, <c>NAME=value</c> separated by spaces, for the log.</summary>
internal static class CounterSummary
{
    /// <summary>The six counters of C joold's stats reply first, under its names, then joold's own.</summary>
    public static string Format(in StatsSnapshot s)
    {
        var text = new StringBuilder(400);
        Append(text, "KERNEL_SENT_PKTS", s.KernelSentPackets);
        Append(text, "KERNEL_SENT_BYTES", s.KernelSentBytes);
        Append(text, "NET_RCVD_PKTS", s.NetReceivedPackets);
        Append(text, "NET_RCVD_BYTES", s.NetReceivedBytes);
        Append(text, "NET_SENT_PKTS", s.NetSentPackets);
        Append(text, "NET_SENT_BYTES", s.NetSentBytes);
        Append(text, "LOCAL_DELIVERED_PKTS", s.LocalDeliveredPackets);
        Append(text, "LOCAL_DELIVERED_BYTES", s.LocalDeliveredBytes);
        Append(text, "LOCAL_DELIVERED_SESSIONS", s.LocalDeliveredSessions);
        Append(text, "INVALID_LOCAL", s.InvalidLocal);
        Append(text, "INVALID_PEER", s.InvalidPeer);
        Append(text, "DROPPED", s.Dropped);
        Append(text, "SINK_FAILURES", s.SinkFailures);
        Append(text, "OVERRUNS", s.Overruns);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string name, long value)
    {
        if (text.Length > 0)
        {
            text.Append(' ');
        }

        text.Append(name).Append('=').Append(value.ToString(CultureInfo.InvariantCulture));
    }
}
