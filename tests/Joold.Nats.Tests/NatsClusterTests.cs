using Joold.Nats.Tests.Support;

namespace Joold.Nats.Tests;

/// <summary>
/// Three daemons on a three-server JetStream cluster with a stream of three replicas: a server that dies loses
/// nothing, and a cluster that is down for a while loses nothing once it returns (the daemons buffer meanwhile).
/// </summary>
[Collection(nameof(DaemonCollection))]
public sealed class NatsClusterTests
{
    [Fact]
    public async Task One_of_three_servers_killed_mid_stream_loses_nothing()
    {
        await using var cluster = await NatsCluster.StartThreeAsync();
        await using var a = await Gateway.CreateAsync(cluster, "a", "onedown", replicas: 3);
        await using var b = await Gateway.CreateAsync(cluster, "b", "onedown", replicas: 3);
        await using var c = await Gateway.CreateAsync(cluster, "c", "onedown", replicas: 3);
        await a.StartDaemonAsync();
        await Task.WhenAll(b.StartDaemonAsync(), c.StartDaemonAsync());
        var publishers = new Publishers(a, b);

        await using (var rounds = publishers.KeepPublishing())
        {
            await rounds.WaitForRoundsAsync(3);
            await cluster.Servers[0].KillAsync();
            await rounds.WaitForRoundsAsync(8);
        }

        await AssertEveryoneHasEverythingAsync(publishers, a, b, c);
    }

    [Fact]
    public async Task All_servers_stopped_for_seconds_lose_nothing_once_they_return()
    {
        await using var cluster = await NatsCluster.StartThreeAsync();
        await using var a = await Gateway.CreateAsync(cluster, "a", "alldown", replicas: 3);
        await using var b = await Gateway.CreateAsync(cluster, "b", "alldown", replicas: 3);
        await using var c = await Gateway.CreateAsync(cluster, "c", "alldown", replicas: 3);
        await a.StartDaemonAsync();
        await Task.WhenAll(b.StartDaemonAsync(), c.StartDaemonAsync());
        var publishers = new Publishers(a, b);
        await publishers.RoundAsync();

        await Task.WhenAll(cluster.Servers.Select(s => s.StopAsync()));

        // The kernels go on: their batches are ACKed once buffered, a few rounds' worth, well within the buffer.
        for (int i = 0; i < 4; i++)
        {
            await publishers.RoundAsync();
        }

        await a.Daemon!.WaitForOutputAsync("Nats: disconnected from");
        await Task.WhenAll(cluster.Servers.Select(s => s.StartAsync()));
        await cluster.WaitForJetStreamAsync();
        await publishers.RoundAsync();

        await AssertEveryoneHasEverythingAsync(publishers, a, b, c);
        Assert.Matches(@"Nats: connected to n\d \(127\.0\.0\.1:\d+\); [1-9]\d* batches buffered", a.Daemon.StandardError);
        Assert.False(a.Daemon.HasPrinted("the local buffer is full"), a.Daemon.StandardError);
    }

    /// <summary>Every published session in every other kernel: A has B's, B has A's, C has both.</summary>
    private static async Task AssertEveryoneHasEverythingAsync(Publishers publishers, Gateway a, Gateway b, Gateway c)
    {
        var all = publishers.Sent.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(all, await c.WaitForDatabaseAsync(all.Count, TimeSpan.FromMinutes(2)));
        Assert.Equal(all, await a.WaitForDatabaseAsync(all.Count, TimeSpan.FromMinutes(2)));
        Assert.Equal(all, await b.WaitForDatabaseAsync(all.Count, TimeSpan.FromMinutes(2)));
    }
}
