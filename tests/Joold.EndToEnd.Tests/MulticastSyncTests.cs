using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Joold.EndToEnd.Tests.Support;
using Joold.Sessions;
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

            long bytes = Sessions * SessionContainer.EntrySize;
            var statsA = await Eventually.ValueAsync(a.QueryStatsAsync, s => s.NetSentPkts == batches, $"NET_SENT_PKTS {batches} on {a}");
            Assert.Equal(new JooldStats(batches, bytes, 0, 0, batches, bytes), statsA);
            foreach (var receiver in receivers)
            {
                var stats = await Eventually.ValueAsync(receiver.QueryStatsAsync, s => s.NetRcvdPkts == statsA.NetSentPkts, $"NET_RCVD_PKTS {batches} on {receiver}");
                Assert.Equal(new JooldStats(0, 0, statsA.NetSentPkts, statsA.NetSentBytes, 0, 0), stats);

                var kernel = await receiver.Kernel.GetStatsAsync();
                Assert.Equal(batches, kernel.PktRcvd);
                Assert.Equal(Sessions, kernel.SssRcvd);
                Assert.Equal(0, kernel.PktSent);
                Assert.Equal(batches, await receiver.CountAddsAsync());
            }

            // Nothing came back to A: its kernel got no JOOLD_ADD and its DB holds what was injected, no more.
            Assert.Equal(0, await a.CountAddsAsync());
            Assert.Equal(0, (await a.Kernel.GetStatsAsync()).PktRcvd);
            SessionAssert.SameSessions(sent, await a.Kernel.GetDatabaseAsync(), clock);
            Assert.Equal(new JooldStats(batches, bytes, 0, 0, batches, bytes), await a.QueryStatsAsync());
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
            await Eventually.ValueAsync(b.QueryStatsAsync, s => s.NetRcvdPkts == batchesBefore, $"the first batches counted on {b}");

            await b.KillDaemonAsync();
            Assert.True(b.Daemon!.HasExited);
            Assert.Equal(137, b.Daemon.ExitCode); // 128 + SIGKILL: no graceful stop

            var whileDown = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(Step, seed: 2));
            long batchesWhileDown = (await KernelWait.AllSentAsync(a.Kernel, 2 * Step, a.ToString())).PktSent - batchesBefore;
            await Eventually.ValueAsync(() => c.Kernel.GetDatabaseAsync(), d => d.Count >= 2 * Step, $"the second sessions in the DB of {c}");

            await b.StartDaemonAsync();
            Assert.Equal(JooldStats.Zero, await b.QueryStatsAsync());

            var after = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(Step, seed: 3));
            long batchesAfter = (await KernelWait.AllSentAsync(a.Kernel, 3 * Step, a.ToString())).PktSent - batchesBefore - batchesWhileDown;
            var database = await Eventually.ValueAsync(() => b.Kernel.GetDatabaseAsync(), d => d.Count >= 2 * Step, $"the third sessions in the DB of {b}");
            SessionAssert.SameSessions([.. before, .. after], database, clock);
            SessionAssert.SameSessions([.. before, .. whileDown, .. after], await Eventually.ValueAsync(() => c.Kernel.GetDatabaseAsync(), d => d.Count >= 3 * Step, $"every session in the DB of {c}"), clock);

            var statsA = await Eventually.ValueAsync(a.QueryStatsAsync, s => s.NetSentPkts == batchesBefore + batchesWhileDown + batchesAfter, $"every batch sent by {a}");
            Assert.Equal(statsA.NetSentPkts, statsA.KernelSentPkts);
            var statsB = await Eventually.ValueAsync(b.QueryStatsAsync, s => s.NetRcvdPkts == batchesAfter, $"the third batches counted on the new daemon of {b}");
            Assert.Equal(new JooldStats(0, 0, batchesAfter, Step * SessionContainer.EntrySize, 0, 0), statsB);
            Assert.Equal(batchesBefore + batchesAfter, await b.CountAddsAsync());
            Assert.Equal(batchesBefore + batchesWhileDown + batchesAfter, await c.CountAddsAsync());
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
                var stats = await Eventually.ValueAsync(node.QueryStatsAsync, s => s.NetRcvdPkts == garbage.Length, $"{garbage.Length} datagrams counted on {node}");
                Assert.Equal(new JooldStats(0, 0, garbage.Length, garbageBytes, 0, 0), stats);
            }

            // A valid batch after the garbage still goes through, and it is the only thing B's kernel ever got.
            var clock = Stopwatch.StartNew();
            var sent = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(36, seed: 66));
            long batches = (await KernelWait.AllSentAsync(a.Kernel, 36, a.ToString())).PktSent;
            SessionAssert.SameSessions(sent, await Eventually.ValueAsync(() => b.Kernel.GetDatabaseAsync(), d => d.Count >= 36, $"the valid batch in the DB of {b}"), clock);
            var statsB = await Eventually.ValueAsync(b.QueryStatsAsync, s => s.NetRcvdPkts == garbage.Length + batches, $"the valid batch counted on {b}");
            Assert.Equal(new JooldStats(0, 0, garbage.Length + batches, garbageBytes + (36 * SessionContainer.EntrySize), 0, 0), statsB);
            Assert.Equal(batches, await b.CountAddsAsync());
            Assert.Equal(0, await a.CountAddsAsync());
            Assert.Equal(batches, (await b.Kernel.GetStatsAsync()).PktRcvd);
            Assert.Equal(36, (await b.Kernel.GetStatsAsync()).SssRcvd);
        });

    /// <summary>Datagrams no correct peer sends: each must be counted and dropped, none may reach a kernel.</summary>
    private static byte[][] BadDatagrams()
    {
        var random = new Random(64);
        byte[] valid = SessionContainer.Create([Session(1), Session(2)]);

        byte[] shortEntry = (byte[])valid.Clone();
        shortEntry[0] = 36; // nla_len 36: C joold reads 4 bytes past the entry (spec 6.9)

        byte[] otherProtocol = SessionContainer.Create([Session(3) with { Protocol = L4Protocol.Other }]);

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

    private static SessionEntry Session(int i) => new(
        IPAddress.Parse($"2001:db8::{i}"), (ushort)(1000 + i), IPAddress.Parse("192.0.2.1"), (ushort)(2000 + i), IPAddress.Parse("203.0.113.8"), 80,
        300_000, L4Protocol.Udp, TcpState.Established, SessionTimer.Established);
}
