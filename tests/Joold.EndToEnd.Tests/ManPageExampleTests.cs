using Joold.EndToEnd.Tests.Support;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests;

/// <summary>
/// The joold(8) man page's examples run as written: its netsocket.json (only eth0 / 192.0.2.1 become the test
/// node's interface and address), <c>modsocket.json</c> naming instance "default" (plus the fake kernel's port id),
/// <c>joold netsocket.json modsocket.json 45678</c>, and <c>echo "" | nc -u 127.0.0.1 45678</c> after four one-session
/// kernel batches prints the six lines (160 bytes: 40-byte entries; the man page shows 4.1.12's 52).
/// </summary>
public class ManPageExampleTests
{
    private const string ManPageIpv6 = """{ "multicast address": "ff08::db8:64:64", "multicast port": "6464", "in interface": "eth0", "out interface": "eth0", "ttl": 3 }""";
    private const string ManPageIpv4 = """{ "multicast address": "233.252.0.64", "multicast port": "6464", "in interface": "192.0.2.1", "out interface": "192.0.2.1", "ttl": 3 }""";

    private const string ManPageStats = "KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n";

    [Theory]
    [InlineData(ManPageIpv6)]
    [InlineData(ManPageIpv4)]
    public Task The_example_configuration_runs_and_nc_gets_the_six_lines(string netsocket) =>
        EndToEndNetwork.RunAsync(nodes: 1, async net =>
        {
            var node = net.Nodes[0];
            string adapted = netsocket.Replace("eth0", node.Interface, StringComparison.Ordinal).Replace("192.0.2.1", node.Ipv4.ToString(), StringComparison.Ordinal);
            var box = await net.AddNodeAsync(node, adapted, statsPort: 45678, kernelArguments: ["--max-sessions-per-packet", "1"]);
            await box.StartDaemonAsync();
            await box.WaitForLogAsync("ttl 3");

            await box.Kernel.InjectRandomAsync(4, seed: 45678);
            var kernel = await Eventually.ValueAsync(() => box.Kernel.GetStatsAsync(), s => s.Acks == 4, "four one-session batches ACKed");
            Assert.Equal(4, kernel.PktSent);
            await box.WaitForStatsAsync(JooldStatsText.Parse(ManPageStats), "the man page's counters");

            // echo "" | nc -u 127.0.0.1 45678, with bash's /dev/udp (a connected UDP socket) since nc is not installed.
            var nc = await node.ExecAsync("timeout", "10", "bash", "-c", "exec 3<>/dev/udp/127.0.0.1/45678; echo \"\" >&3; head -n 6 <&3");
            Assert.Equal(ManPageStats, nc.StandardOutput);
        });
}
