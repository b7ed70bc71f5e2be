using System.Diagnostics;
using System.Net;
using Joold.EndToEnd.Tests.Support;
using Joold.Sessions;
using Joold.Stats;
using Joold.Testing;

namespace Joold.EndToEnd.Tests;

/// <summary>
/// Two daemons (<c>joold run joold.json</c>: JoolNetlink + Unicast + StatsUdp) on 127.0.0.1, each with its own fake
/// kernel process: what kernel A emits ends up in kernel B's database, and the counters agree.
/// </summary>
/// <remarks>Ports: see <see cref="UnicastPair"/>.</remarks>
public class UnicastSyncTests
{
    private const int Sessions = 108;

    [Fact]
    public Task Sessions_injected_into_kernel_A_are_added_to_kernel_B_field_by_field() =>
        EndToEndNetwork.RunAsync(nodes: 1, async net =>
        {
            var (a, b, listenB) = await UnicastPair.StartAsync(net, "e2e-unicast");
            Assert.Equal(IPAddress.Loopback, listenB.Address);
            Assert.NotEqual(0, listenB.Port);
            Assert.Equal(new IPEndPoint(IPAddress.Loopback, UnicastPair.ListenPortA), await a.Daemon!.WaitForEndPointAsync(JooldLog.UnicastListening));

            var clock = Stopwatch.StartNew();
            var sent = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(Sessions, seed: 550));

            var database = await Eventually.ValueAsync(() => b.Kernel.GetDatabaseAsync(), d => d.Count >= Sessions, $"{Sessions} sessions in kernel B's DB");
            CompareFieldByField(sent, database, clock);

            // Nothing came back: kernel A got no JOOLD_ADD and holds exactly what was injected.
            var kernelStatsA = await KernelWait.AllSentAsync(a.Kernel, Sessions, "kernel A");
            long batches = kernelStatsA.PktSent;
            Assert.InRange(batches, Sessions / 36, Sessions);
            Assert.Equal(0, kernelStatsA.PktRcvd);
            Assert.Equal(0, await a.CountAddsAsync());
            CompareFieldByField(sent, await a.Kernel.GetDatabaseAsync(), clock);

            // Whole states, not one counter: B can hold a batch before A has counted it as sent.
            long bytes = Sessions * SessionContainer.EntrySize;
            await a.WaitForStatsAsync(new StatsSnapshot { KernelSentPackets = batches, KernelSentBytes = bytes, NetSentPackets = batches, NetSentBytes = bytes }, "A's counters = kernel A's batches");
            await b.WaitForStatsAsync(new StatsSnapshot { NetReceivedPackets = batches, NetReceivedBytes = bytes }, "B's NET_RCVD = A's NET_SENT");
            // Batches that queued up at B share a JOOLD_ADD (README, Differences 16): every session counts, once.
            var kernelStatsB = await KernelWait.UntilAsync(b.Kernel, k => k.SssRcvd == Sessions, "kernel B to count every session");
            Assert.Equal(0, kernelStatsB.PktSent);
            Assert.InRange(kernelStatsB.PktRcvd, 1, batches);
        });

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
}
