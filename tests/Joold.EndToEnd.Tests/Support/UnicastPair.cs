using System.Globalization;
using System.Net;
using Joold.Testing;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>
/// Two boxes in the network's first node, each with its own fake kernel, syncing as <c>joold run joold.json</c>
/// (JoolNetlink + Unicast on 127.0.0.1 + StatsUdp).
/// </summary>
/// <remarks>
/// Ports without a race: the node is a namespace of the test's own, where no other process binds. B listens on port
/// 0 and its port is read from its log; A's port is fixed, because B must name it as its peer before it starts (two
/// Unicast peers cannot both learn the other's port after binding), and the stats ports are fixed because
/// StatsUdp's configuration refuses port 0.
/// </remarks>
internal sealed record UnicastPair(JooldNode A, JooldNode B, IPEndPoint ListenB)
{
    public const int ListenPortA = 7000;
    public const int StatsPortA = 6401;
    public const int StatsPortB = 6402;

    /// <summary>
    /// Adds A and B (instances <c>PREFIX-a</c> and <c>PREFIX-b</c>), starts daemon B, reads its port, then starts
    /// daemon A; both relays run when this returns.
    /// </summary>
    /// <param name="kernelArgumentsB">More arguments for kernel B's fake.</param>
    /// <param name="moreConfigB">More members of B's joold.json, each led by its comma.</param>
    public static async Task<UnicastPair> StartAsync(
        EndToEndNetwork net, string instancePrefix, IEnumerable<string>? kernelArgumentsB = null, string moreConfigB = "")
    {
        var node = net.Nodes[0];
        var a = await net.AddNodeAsync(node, netsocketJson: null, StatsPortA, instance: $"{instancePrefix}-a", label: $"A in {node}");
        var b = await net.AddNodeAsync(
            node, netsocketJson: null, StatsPortB, kernelArguments: kernelArgumentsB, instance: $"{instancePrefix}-b", label: $"B in {node}");
        await b.StartDaemonAsync(["run", b.WriteFile("joold.json", Config($"{instancePrefix}-b", b.Kernel.PortId, listenPort: 0, ListenPortA, StatsPortB, moreConfigB))]);
        var listenB = await b.Daemon!.WaitForEndPointAsync(JooldLog.UnicastListening);
        await a.StartDaemonAsync(["run", a.WriteFile("joold.json", Config($"{instancePrefix}-a", a.Kernel.PortId, ListenPortA, listenB.Port, StatsPortA, more: ""))]);
        return new UnicastPair(a, b, listenB);
    }

    private static string Config(string instance, uint kernelPort, int listenPort, int peerPort, int statsPort, string more) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""
        {
          "JoolNetlink": { "instance": "{{instance}}", "netlink peer": {{kernelPort}} },
          "Unicast": { "listen": "127.0.0.1:{{listenPort}}", "peers": ["127.0.0.1:{{peerPort}}"] },
          "StatsUdp": { "address": "127.0.0.1", "port": "{{statsPort}}" }{{more}}
        }
        """);
}
