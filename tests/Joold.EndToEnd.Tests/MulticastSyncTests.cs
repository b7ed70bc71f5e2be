using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Joold.EndToEnd.Tests.Support;
using Joold.Sessions;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests;

/// <summary>
/// Three NAT64 boxes on one LAN, each a network namespace with a fake Jool kernel process and a joold daemon
/// process started as the original is (<c>joold netsocket.json modsocket.json PORT</c>), syncing over real IPv4 or
/// IPv6 multicast. Stats are read with a real UDP client inside each namespace.
/// </summary>
public class MulticastSyncTests
{
    /// <summary>At least two kernel batches (36 sessions each at most).</summary>
    private const int Sessions = 72;

    [Theory]
    [InlineData(MulticastConfig.Ipv4Group)]
    [InlineData(MulticastConfig.Ipv6Group)]
    public Task Sessions_of_one_kernel_reach_every_other_kernel_and_none_comes_back(string group) =>
        EndToEndNetwork.RunAsync(nodes: 3, async net =>
        {
            var nodes = new List<JooldNode>();
            foreach (var node in net.Nodes)
            {
                nodes.Add(await net.AddNodeAsync(node, MulticastConfig.For(node, group)));
            }

            await Task.WhenAll(nodes.Select(n => n.StartDaemonAsync()));
            var (a, receivers) = (nodes[0], nodes.Skip(1).ToList());

            var clock = Stopwatch.StartNew();
            byte[] container = await a.Kernel.InjectRandomAsync(Sessions, seed: 6464);
            var sent = SessionContainer.ReadAll(container);

            foreach (var receiver in receivers)
            {
                var database = await Eventually.ValueAsync(() => receiver.Kernel.GetDatabaseAsync(), d => d.Count >= Sessions, $"{Sessions} sessions in the DB of {receiver}");
                SessionAssert.SameSessions(sent, database, clock);
                var raw = await receiver.GetDatabaseBytesAsync();
                SessionAssert.SameBytes(container, raw);
            }

            var kernelA = await KernelWait.AllSentAsync(a.Kernel, Sessions, a.ToString());
            long batches = kernelA.PktSent;
            Assert.InRange(batches, 2, Sessions);

            // Each wait is on the whole expected state: a receiver can hold a batch before the sender has counted it.
            long bytes = Sessions * SessionContainer.EntrySize;
            var expectedA = new StatsSnapshot { KernelSentPackets = batches, KernelSentBytes = bytes, NetSentPackets = batches, NetSentBytes = bytes };
            await a.WaitForStatsAsync(expectedA, "every batch counted as sent");
            foreach (var receiver in receivers)
            {
                await receiver.WaitForStatsAsync(new StatsSnapshot { NetReceivedPackets = batches, NetReceivedBytes = bytes }, "every batch counted as received");
                // Batches that queued up at the receiver share a JOOLD_ADD (README, Differences 16): count sessions.
                var kernel = await KernelWait.UntilAsync(receiver.Kernel, k => k.SssRcvd == Sessions, $"{batches} batches of {Sessions} sessions added by {receiver}");
                Assert.Equal(0, kernel.PktSent);
                Assert.InRange(kernel.PktRcvd, 1, batches);
                Assert.Equal(kernel.PktRcvd, await receiver.CountAddsAsync());
            }

            // Nothing came back to A: its kernel got no JOOLD_ADD and its DB holds what was injected, no more.
            Assert.Equal(0, await a.CountAddsAsync());
            Assert.Equal(0, (await a.Kernel.GetStatsAsync()).PktRcvd);
            SessionAssert.SameSessions(sent, await a.Kernel.GetDatabaseAsync(), clock);
            Assert.Equal(expectedA, await a.QueryStatsAsync());
        });

    [Fact]
    public Task A_killed_daemon_rejoins_and_gets_what_is_sent_after_it_came_back() =>
        EndToEndNetwork.RunAsync(nodes: 3, async net =>
        {
            var nodes = new List<JooldNode>();
            foreach (var node in net.Nodes)
            {
                nodes.Add(await net.AddNodeAsync(node, MulticastConfig.For(node, MulticastConfig.Ipv6Group)));
            }

            await Task.WhenAll(nodes.Select(n => n.StartDaemonAsync()));
            var (a, b, c) = (nodes[0], nodes[1], nodes[2]);
            const int Step = 36;

            var clock = Stopwatch.StartNew();
            var before = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(Step, seed: 1));
            long batchesBefore = (await KernelWait.AllSentAsync(a.Kernel, Step, a.ToString())).PktSent;
            await Eventually.ValueAsync(() => b.Kernel.GetDatabaseAsync(), d => d.Count >= Step, $"the first sessions in the DB of {b}");
            await Eventually.ValueAsync(() => c.Kernel.GetDatabaseAsync(), d => d.Count >= Step, $"the first sessions in the DB of {c}");
            await Eventually.ValueAsync(b.QueryStatsAsync, s => s.NetReceivedPackets == batchesBefore, $"the first batches counted on {b}");

            await b.KillDaemonAsync();
            Assert.True(b.Daemon!.HasExited);
            Assert.Equal(137, b.Daemon.ExitCode); // 128 + SIGKILL: no graceful stop

            var whileDown = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(Step, seed: 2));
            long batchesWhileDown = (await KernelWait.AllSentAsync(a.Kernel, 2 * Step, a.ToString())).PktSent - batchesBefore;
            await Eventually.ValueAsync(() => c.Kernel.GetDatabaseAsync(), d => d.Count >= 2 * Step, $"the second sessions in the DB of {c}");

            await b.StartDaemonAsync();
            Assert.Equal(default, await b.QueryStatsAsync());

            var after = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(Step, seed: 3));
            long batchesAfter = (await KernelWait.AllSentAsync(a.Kernel, 3 * Step, a.ToString())).PktSent - batchesBefore - batchesWhileDown;
            var database = await Eventually.ValueAsync(() => b.Kernel.GetDatabaseAsync(), d => d.Count >= 2 * Step, $"the third sessions in the DB of {b}");
            SessionAssert.SameSessions([.. before, .. after], database, clock);
            SessionAssert.SameSessions([.. before, .. whileDown, .. after], await Eventually.ValueAsync(() => c.Kernel.GetDatabaseAsync(), d => d.Count >= 3 * Step, $"every session in the DB of {c}"), clock);

            long all = batchesBefore + batchesWhileDown + batchesAfter;
            long allBytes = 3 * Step * SessionContainer.EntrySize;
            await a.WaitForStatsAsync(new StatsSnapshot { KernelSentPackets = all, KernelSentBytes = allBytes, NetSentPackets = all, NetSentBytes = allBytes }, "every batch sent");
            await b.WaitForStatsAsync(new StatsSnapshot { NetReceivedPackets = batchesAfter, NetReceivedBytes = Step * SessionContainer.EntrySize }, "only the third batches counted by the new daemon");
            await b.WaitForAddsAsync(batchesBefore + batchesAfter);
            await c.WaitForAddsAsync(all);
        });

    [Fact]
    public Task Garbage_truncated_and_oversized_datagrams_reach_no_kernel_and_are_counted() =>
        EndToEndNetwork.RunAsync(nodes: 3, async net =>
        {
            var a = await net.AddNodeAsync(net.Nodes[0], MulticastConfig.For(net.Nodes[0], MulticastConfig.Ipv4Group));
            var b = await net.AddNodeAsync(net.Nodes[1], MulticastConfig.For(net.Nodes[1], MulticastConfig.Ipv4Group));
            await Task.WhenAll(a.StartDaemonAsync(), b.StartDaemonAsync());

            // Node 3 runs no daemon: it only throws datagrams at the group.
            byte[][] garbage = BadDatagrams();
            using (var sender = await NetnsThread.CreateUdpSocketAsync(net.Nodes[2].NamespacePath, AddressFamily.InterNetwork))
            {
                var group = new IPEndPoint(IPAddress.Parse(MulticastConfig.Ipv4Group), 6464);
                foreach (byte[] datagram in garbage)
                {
                    Assert.Equal(datagram.Length, await sender.SendToAsync(datagram, SocketFlags.None, group));
                }
            }

            long garbageBytes = garbage.Sum(d => (long)d.Length);
            foreach (var node in (JooldNode[])[a, b])
            {
                await node.WaitForStatsAsync(new StatsSnapshot { NetReceivedPackets = garbage.Length, NetReceivedBytes = garbageBytes }, $"{garbage.Length} datagrams counted");
            }

            // A valid batch after the garbage still goes through, and it is the only thing B's kernel ever got.
            var clock = Stopwatch.StartNew();
            var sent = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(36, seed: 66));
            long batches = (await KernelWait.AllSentAsync(a.Kernel, 36, a.ToString())).PktSent;
            SessionAssert.SameSessions(sent, await Eventually.ValueAsync(() => b.Kernel.GetDatabaseAsync(), d => d.Count >= 36, $"the valid batch in the DB of {b}"), clock);
            await b.WaitForStatsAsync(
                new StatsSnapshot { NetReceivedPackets = garbage.Length + batches, NetReceivedBytes = garbageBytes + (36 * SessionContainer.EntrySize) },
                "the valid batch counted after the garbage");
            await b.WaitForAddsAsync(batches);
            await KernelWait.UntilAsync(b.Kernel, k => k.PktRcvd == batches && k.SssRcvd == 36, $"the valid batch added by {b}");
            Assert.Equal(0, await a.CountAddsAsync());
        });

    /// <summary>Datagrams no correct peer sends: each must be counted and dropped, none may reach a kernel.</summary>
    private static byte[][] BadDatagrams()
    {
        var random = new Random(64);
        byte[] valid = TestSessions.Container(2, tag: 64);

        byte[] shortEntry = (byte[])valid.Clone();
        shortEntry[0] = 36; // nla_len 36: C joold reads 4 bytes past the entry (spec 6.9)

        byte[] otherProtocol = SessionContainer.Create([TestSessions.Many(1, tag: 65)[0] with { Protocol = L4Protocol.Other }]);

        byte[] wrongType = (byte[])valid.Clone();
        wrongType[2] = 2;

        byte[] noise = new byte[100];
        random.NextBytes(noise);

        // The largest UDP payload IPv4 carries: the original cut everything past 2048 bytes.
        byte[] oversized = new byte[65507];
        random.NextBytes(oversized);

        return
        [
            [],
            [0x0A],
            noise,
            valid[..79],
            [.. valid, 1, 2, 3],
            shortEntry,
            otherProtocol,
            wrongType,
            oversized,
        ];
    }
}
