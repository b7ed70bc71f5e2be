using Joold.Nats.Tests.Support;
using Joold.Testing;

namespace Joold.Nats.Tests;

/// <summary>
/// Whole daemons (<c>joold run</c>: JoolNetlink + Nats) with fake kernel processes, syncing through one
/// nats-server: what each kernel multicasts lands in every other kernel, byte for byte, once; never in its own.
/// </summary>
[Collection(nameof(DaemonCollection))]
public sealed class NatsSyncTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_daemons_sync_through_one_server_and_nothing_comes_back()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var a = await Gateway.CreateAsync(cluster, "a", "two");
        await using var b = await Gateway.CreateAsync(cluster, "b", "two");
        await Task.WhenAll(a.StartDaemonAsync(), b.StartDaemonAsync());

        byte[] sent = await a.Kernel.InjectRandomAsync(108, seed: 10_001, cancellationToken: Token);

        var database = await b.WaitForDatabaseAsync(108);
        Assert.Equal(SessionBytes.OfContainer(sent), database);
        var kernelA = await Eventually.ValueAsync(() => a.Kernel.GetStatsAsync(), s => s.SssSent == 108 && s.Acks == s.PktSent, "kernel A to multicast 108 sessions, every batch ACKed");
        var kernelB = await Eventually.ValueAsync(() => b.Kernel.GetStatsAsync(), s => s.PktRcvd == kernelA.PktSent, "kernel B to receive one JOOLD_ADD per batch of A");
        Assert.Equal(108, kernelB.SssRcvd);
        Assert.Equal(0, kernelB.PktSent);
        Assert.Equal(0, (await a.Kernel.GetStatsAsync(Token)).PktRcvd);
        Assert.Equal(108, (await a.GetDatabaseAsync()).Count);
    }

    [Fact]
    public async Task Three_daemons_each_kernels_sessions_reach_the_other_two_byte_identical_once()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var a = await Gateway.CreateAsync(cluster, "a", "three");
        await using var b = await Gateway.CreateAsync(cluster, "b", "three");
        await using var c = await Gateway.CreateAsync(cluster, "c", "three");
        Gateway[] gateways = [a, b, c];
        await Task.WhenAll(gateways.Select(g => g.StartDaemonAsync()));
        int[] counts = [72, 40, 1];

        var sent = new Dictionary<Gateway, IReadOnlyList<string>>();
        for (int i = 0; i < gateways.Length; i++)
        {
            sent[gateways[i]] = SessionBytes.OfContainer(await gateways[i].Kernel.InjectRandomAsync(counts[i], seed: 20_000 + i, cancellationToken: Token));
        }

        var batches = new Dictionary<Gateway, long>();
        foreach (var (gateway, sessions) in sent)
        {
            var stats = await Eventually.ValueAsync(() => gateway.Kernel.GetStatsAsync(), s => s.SssSent == sessions.Count && s.Acks == s.PktSent, $"{gateway}'s kernel to multicast its sessions, every batch ACKed");
            batches[gateway] = stats.PktSent;
        }

        foreach (var receiver in gateways)
        {
            var others = gateways.Where(g => g != receiver).ToList();
            var expected = sent[receiver].Concat(others.SelectMany(g => sent[g])).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, await receiver.WaitForDatabaseAsync(expected.Count));

            // Once: one JOOLD_ADD per batch of the others, and no session twice; nothing of its own.
            var stats = await Eventually.ValueAsync(() => receiver.Kernel.GetStatsAsync(), s => s.PktRcvd >= others.Sum(g => batches[g]), $"{receiver}'s kernel to get every batch of the others");
            Assert.Equal(others.Sum(g => batches[g]), stats.PktRcvd);
            Assert.Equal(others.Sum(g => sent[g].Count), stats.SssRcvd);
        }
    }
}
