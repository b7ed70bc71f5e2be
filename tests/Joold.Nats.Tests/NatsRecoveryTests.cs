using Joold.Nats.Tests.Support;
using Joold.Testing;

namespace Joold.Nats.Tests;

/// <summary>
/// What the stream adds over plain datagrams: a gateway that crashed gets what it missed when it comes back (its
/// durable consumer resumes), and one that joins for the first time replays the stream, with no advertise.
/// </summary>
[Collection(nameof(DaemonCollection))]
public sealed class NatsRecoveryTests
{
    private const int FullBatch = Publishers.FullBatch;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_daemon_killed_while_the_others_publish_gets_every_session_once_restarted()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var a = await Gateway.CreateAsync(cluster, "a", "restart");
        await using var b = await Gateway.CreateAsync(cluster, "b", "restart");
        await using var c = await Gateway.CreateAsync(cluster, "c", "restart");
        await Task.WhenAll(a.StartDaemonAsync(), b.StartDaemonAsync(), c.StartDaemonAsync());
        var publishers = new Publishers(a, b);

        await publishers.RoundAsync();
        await c.WaitForDatabaseAsync(publishers.Sent.Count);

        await using (var rounds = publishers.KeepPublishing())
        {
            await rounds.WaitForRoundsAsync(2);
            await c.KillDaemonAsync();
            await rounds.WaitForRoundsAsync(4);
            await c.StartDaemonAsync();
            await rounds.WaitForRoundsAsync(6);
        }

        var expected = publishers.Sent.Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count >= 7 * 2 * FullBatch, $"only {expected.Count} sessions were published");
        Assert.Equal(expected, await c.WaitForDatabaseAsync(expected.Count));

        // It resumed: the restarted consumer had delivered batches before and did not start from the stream's start.
        Assert.Matches(@"durable consumer joold_restart_c on stream JOOLD: \d+ messages pending, [1-9]\d* delivered before", c.Daemon!.StandardError);
    }

    [Fact]
    public async Task A_fourth_daemon_started_after_1000_batches_replays_them_all()
    {
        const int Batches = 1000;
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var a = await Gateway.CreateAsync(cluster, "a", "joiner");
        await using var b = await Gateway.CreateAsync(cluster, "b", "joiner");
        await using var c = await Gateway.CreateAsync(cluster, "c", "joiner");
        await Task.WhenAll(a.StartDaemonAsync(), b.StartDaemonAsync(), c.StartDaemonAsync());

        await a.Kernel.CommandAsync($"load {Batches}", Token);
        await Eventually.ValueAsync(() => a.Kernel.GetStatsAsync(Token), s => s.PktSent == Batches && s.Acks == Batches, $"kernel A to multicast {Batches} batches, every one ACKed", TimeSpan.FromMinutes(3));
        await Eventually.ValueAsync(() => b.Kernel.GetStatsAsync(Token), s => s.PktRcvd == Batches, $"kernel B to receive the {Batches} batches live", TimeSpan.FromMinutes(3));
        var live = await b.GetDatabaseAsync();
        Assert.Equal(Batches * FullBatch, live.Count);

        await using var d = await Gateway.CreateAsync(cluster, "d", "joiner");
        await d.StartDaemonAsync();

        var replay = await Eventually.ValueAsync(() => d.Kernel.GetStatsAsync(Token), s => s.PktRcvd >= Batches, $"kernel D to receive the {Batches} batches from the stream", TimeSpan.FromMinutes(3));
        Assert.Equal(Batches, replay.PktRcvd);
        Assert.Equal(Batches * FullBatch, replay.SssRcvd);
        Assert.Equal(live, await d.GetDatabaseAsync());
        Assert.Contains("durable consumer joold_joiner_d on stream JOOLD: 1000 messages pending, 0 delivered before", d.Daemon!.StandardError, StringComparison.Ordinal);
    }
}
