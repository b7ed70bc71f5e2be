using System.Globalization;

namespace Joold.LoadTest;

/// <summary>
/// Where datagrams are dropped, from the kernel's own counters in a process's network namespace: UDP
/// RcvbufErrors (/proc/PID/net/snmp for IPv4 plus Udp6RcvbufErrors in /proc/PID/net/snmp6 for IPv6: a socket's
/// receive buffer was full) and the sum of the Drops column of every
/// netlink socket (/proc/PID/net/netlink: overruns, ENOBUFS). Namespace-wide: other sockets there count too.
/// </summary>
internal readonly record struct NetworkDrops(long UdpReceiveBufferErrors, long NetlinkDrops)
{
    public static NetworkDrops Read(int processId) =>
        new(ReadUdpReceiveBufferErrors(processId) + ReadUdp6ReceiveBufferErrors(processId), ReadNetlinkDrops(processId));

    public static NetworkDrops operator -(NetworkDrops after, NetworkDrops before) =>
        new(after.UdpReceiveBufferErrors - before.UdpReceiveBufferErrors, after.NetlinkDrops - before.NetlinkDrops);

    private static long ReadUdpReceiveBufferErrors(int processId)
    {
        string[] lines = File.ReadAllLines($"/proc/{processId}/net/snmp");
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i].StartsWith("Udp: ", StringComparison.Ordinal) && lines[i + 1].StartsWith("Udp: ", StringComparison.Ordinal))
            {
                int column = Array.IndexOf(lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries), "RcvbufErrors");
                string[] values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return column > 0 && column < values.Length ? long.Parse(values[column], CultureInfo.InvariantCulture) : 0;
            }
        }

        return 0;
    }

    /// <summary>snmp6 has one "Name value" pair per line.</summary>
    private static long ReadUdp6ReceiveBufferErrors(int processId)
    {
        string path = $"/proc/{processId}/net/snmp6";
        if (!File.Exists(path))
        {
            return 0; // IPv6 disabled.
        }

        foreach (string line in File.ReadLines(path))
        {
            string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2 && fields[0] == "Udp6RcvbufErrors")
            {
                return long.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static long ReadNetlinkDrops(int processId)
    {
        string[] lines = File.ReadAllLines($"/proc/{processId}/net/netlink");
        if (lines.Length == 0)
        {
            return 0;
        }

        int column = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), "Drops");
        long drops = 0;
        foreach (string line in lines.Skip(1))
        {
            string[] values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (column > 0 && column < values.Length && long.TryParse(values[column], CultureInfo.InvariantCulture, out long d))
            {
                drops += d;
            }
        }

        return drops;
    }
}
