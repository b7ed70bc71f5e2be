using System.Globalization;
using Joold.Testing.Namespaces;

namespace Joold.Tls.Tests.Support;

/// <summary>
/// Random loss and reordering on a node's interface. With sch_netem: <c>tc qdisc add dev X root netem loss L%
/// delay 10ms reorder 25% 50%</c>. Without it (kernels built without CONFIG_NET_SCH_NETEM, such as this project's
/// sandbox), the same effect from what such kernels usually have: a classic BPF filter drawing a random number
/// (SKF_AD_RANDOM) drops L% of incoming packets (redirect to a veth whose peer is down), and another sends a quarter
/// of outgoing packets through a slow HTB class, so packets sent after them overtake them.
/// </summary>
internal static class LinkImpairment
{
    private const string Blackhole = "jtbh0";

    /// <summary>Applies the impairment; returns how ("netem" or "bpf").</summary>
    public static async Task<string> ApplyAsync(TestNode node, string device, int lossPercent)
    {
        var netem = await node.RunAsync("tc", "qdisc", "add", "dev", device, "root", "netem", "loss", $"{lossPercent}%", "delay", "10ms", "reorder", "25%", "50%");
        if (netem.Succeeded)
        {
            return "netem";
        }

        uint threshold = (uint)(uint.MaxValue / 100.0 * lossPercent);
        await node.IpAsync("link", "add", Blackhole, "type", "veth", "peer", "name", Blackhole + "p");
        await node.IpAsync("link", "set", Blackhole, "up");
        await Tc(node, "qdisc", "add", "dev", device, "clsact");
        await Tc(node, "filter", "add", "dev", device, "ingress", "bpf", "bytecode", RandomMatch(threshold), "action", "mirred", "egress", "redirect", "dev", Blackhole);
        await Tc(node, "qdisc", "add", "dev", device, "root", "handle", "1:", "htb", "default", "10");
        await Tc(node, "class", "add", "dev", device, "parent", "1:", "classid", "1:10", "htb", "rate", "10gbit");
        await Tc(node, "class", "add", "dev", device, "parent", "1:", "classid", "1:20", "htb", "rate", "2mbit", "ceil", "2mbit");
        await Tc(node, "filter", "add", "dev", device, "parent", "1:", "bpf", "bytecode", RandomMatch(uint.MaxValue / 4), "classid", "1:20");
        return "bpf";
    }

    /// <summary>Packets the impairment dropped and packets it delayed (netem reports drops only).</summary>
    public static async Task<(long Dropped, long Delayed)> CountAsync(TestNode node, string device, string method)
    {
        if (method == "netem")
        {
            var qdisc = await node.ExecAsync("tc", "-s", "qdisc", "show", "dev", device);
            return (Number(qdisc.StandardOutput, "dropped "), -1);
        }

        var filter = await node.ExecAsync("tc", "-s", "filter", "show", "dev", device, "ingress");
        var classes = await node.ExecAsync("tc", "-s", "class", "show", "dev", device);
        string slow = classes.StandardOutput[classes.StandardOutput.IndexOf("class htb 1:20", StringComparison.Ordinal)..];
        return (Number(filter.StandardOutput, "bytes "), Number(slow, "bytes "));
    }

    /// <summary>TCP segments retransmitted in the node's namespace so far.</summary>
    public static async Task<long> RetransmittedSegmentsAsync(TestNode node)
    {
        var snmp = await node.ExecAsync("cat", "/proc/net/snmp");
        string[] lines = snmp.StandardOutput.Split('\n').Where(l => l.StartsWith("Tcp:", StringComparison.Ordinal)).ToArray();
        int column = Array.IndexOf(lines[0].Split(' '), "RetransSegs");
        return long.Parse(lines[1].Split(' ')[column], CultureInfo.InvariantCulture);
    }

    /// <summary>"A = random; return A &lt; threshold ? -1 (match) : 0" in tc's classic BPF bytecode notation.</summary>
    private static string RandomMatch(uint threshold) =>
        string.Create(CultureInfo.InvariantCulture, $"4,32 0 0 {0xFFFFF000u + 56},53 0 1 {threshold},6 0 0 0,6 0 0 4294967295");

    private static Task<CommandResult> Tc(TestNode node, params string[] arguments) => node.ExecAsync("tc", arguments);

    /// <summary>The number after the first <paramref name="label"/>'s following "N pkt"/"dropped N" form.</summary>
    private static long Number(string text, string label)
    {
        int at = text.IndexOf(label, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0;
        }

        string rest = text[(at + label.Length)..].TrimStart();
        if (label == "bytes ")
        {
            // "Sent 141580 bytes 98 pkt": the packet count follows "bytes ".
            return long.Parse(rest[..rest.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        }

        return long.Parse(new string(rest.TakeWhile(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
    }
}
