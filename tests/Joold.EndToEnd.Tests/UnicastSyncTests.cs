using System.Diagnostics;
using System.Globalization;
using System.Net;
using Joold.EndToEnd.Tests.Support;
using Joold.FakeKernel;
using Joold.Sessions;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests;

/// <summary>
/// Two daemons (<c>joold run cfg.json</c>: JoolNetlink + Unicast + StatsUdp) on 127.0.0.1 in this namespace, each
/// with its own fake kernel process: what kernel A emits ends up in kernel B's database, and the counters agree.
/// </summary>
public class UnicastSyncTests
{
    private const int Sessions = 108;

    [Fact]
    public async Task Sessions_injected_into_kernel_A_are_added_to_kernel_B_field_by_field()
    {
        using var directory = new TempDirectory();
        int[] ports = LoopbackPorts.Reserve(4);
        var (listenA, listenB, statsPortA, statsPortB) = (ports[0], ports[1], ports[2], ports[3]);
        var pids = new List<int>();
        var ct = TestContext.Current.CancellationToken;

        await using (var kernelA = await FakeKernelProcess.StartAsync(instance: "e2e-unicast-a", cancellationToken: ct))
        await using (var kernelB = await FakeKernelProcess.StartAsync(instance: "e2e-unicast-b", cancellationToken: ct))
        {
            pids.AddRange([kernelA.ProcessId, kernelB.ProcessId]);
            string configA = directory.File("a.json", Config("e2e-unicast-a", kernelA.PortId, listenA, listenB, statsPortA));
            string configB = directory.File("b.json", Config("e2e-unicast-b", kernelB.PortId, listenB, listenA, statsPortB));
            await using var daemonA = DaemonProcess.StartJoold(["run", configA], directory.Path);
            await using var daemonB = DaemonProcess.StartJoold(["run", configB], directory.Path);
            pids.AddRange([daemonA.Id, daemonB.Id]);
            await Task.WhenAll(daemonA.WaitForOutputAsync("Relay started"), daemonB.WaitForOutputAsync("Relay started"));
            var statsA = new IPEndPoint(IPAddress.Loopback, statsPortA);
            var statsB = new IPEndPoint(IPAddress.Loopback, statsPortB);

            var clock = Stopwatch.StartNew();
            var sent = SessionContainer.ReadAll(await kernelA.InjectRandomAsync(Sessions, seed: 550, cancellationToken: ct));

            var database = await Eventually.ValueAsync(() => kernelB.GetDatabaseAsync(ct), d => d.Count >= Sessions, $"{Sessions} sessions in kernel B's DB");
            CompareFieldByField(sent, database, clock);

            // Nothing came back: kernel A got no JOOLD_ADD and holds exactly what was injected.
            var kernelStatsA = await KernelWait.AllSentAsync(kernelA, Sessions, "kernel A");
            Assert.InRange(kernelStatsA.PktSent, Sessions / 36, Sessions);
            Assert.Equal(0, kernelStatsA.PktRcvd);
            Assert.DoesNotContain(await kernelA.GetReceivedAsync(ct), m => m.Type == kernelA.FamilyId && m.Command == 27);
            CompareFieldByField(sent, await kernelA.GetDatabaseAsync(ct), clock);

            var a = await Eventually.ValueAsync(() => StatsClient.QueryAsync(statsA), s => s.NetSentPkts == kernelStatsA.PktSent, "A's NET_SENT_PKTS = kernel batches");
            Assert.Equal(kernelStatsA.PktSent, a.KernelSentPkts);
            Assert.Equal(a.KernelSentPkts, a.NetSentPkts);
            Assert.Equal(Sessions * SessionContainer.EntrySize, a.KernelSentBytes);
            Assert.Equal(a.KernelSentBytes, a.NetSentBytes);
            Assert.Equal(0, a.NetRcvdPkts);

            var b = await Eventually.ValueAsync(() => StatsClient.QueryAsync(statsB), s => s.NetRcvdPkts == a.NetSentPkts, "B's NET_RCVD_PKTS = A's NET_SENT_PKTS");
            Assert.Equal(new JooldStats(0, 0, a.NetSentPkts, a.NetSentBytes, 0, 0), b);
            var kernelStatsB = await kernelB.GetStatsAsync(ct);
            Assert.Equal(a.NetSentPkts, kernelStatsB.PktRcvd);
            Assert.Equal(0, kernelStatsB.PktSent);
        }

        Assert.DoesNotContain(pids, Leftovers.IsRunning);
    }

    /// <summary>src6, ports, src4, dst4, proto, state and timer exactly; the expiration loosely (ms left now).</summary>
    private static void CompareFieldByField(IReadOnlyList<SessionEntry> sent, IReadOnlyList<SessionEntry> database, Stopwatch sinceInjected)
    {
        long slackMs = SessionAssert.ExpirationSlackMs(sinceInjected.Elapsed);
        Assert.Equal(sent.Count, database.Count);
        var byKey = database.ToDictionary(SessionAssert.Key);
        foreach (var expected in sent)
        {
            Assert.True(byKey.TryGetValue(SessionAssert.Key(expected), out var actual), $"{SessionAssert.Key(expected)} is missing");
            Assert.Equal(expected.Source6, actual.Source6);
            Assert.Equal(expected.Source6Port, actual.Source6Port);
            Assert.Equal(expected.Source4, actual.Source4);
            Assert.Equal(expected.Source4Port, actual.Source4Port);
            Assert.Equal(expected.Destination4, actual.Destination4);
            Assert.Equal(expected.Destination4Port, actual.Destination4Port);
            Assert.Equal(expected.Protocol, actual.Protocol);
            Assert.Equal(expected.State, actual.State);
            Assert.Equal(expected.Timer, actual.Timer);
            Assert.InRange(actual.ExpirationMilliseconds, (long)expected.ExpirationMilliseconds - slackMs + 1, expected.ExpirationMilliseconds);
        }
    }

    private static string Config(string instance, uint kernelPort, int listen, int peer, int statsPort) => string.Create(
        CultureInfo.InvariantCulture,
        $$"""
        {
          "JoolNetlink": { "instance": "{{instance}}", "netlink peer": {{kernelPort}} },
          "Unicast": { "listen": "127.0.0.1:{{listen}}", "peers": ["127.0.0.1:{{peer}}"] },
          "StatsUdp": { "address": "127.0.0.1", "port": "{{statsPort}}" }
        }
        """);
}
