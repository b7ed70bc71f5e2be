using System.Globalization;
using Joold.FakeKernel;
using Joold.Plugins.JoolNetlink;
using Joold.Plugins.JoolNetlink.Kernel;
using Joold.Relay;
using Joold.Sessions;
using Joold.Stats;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Issue 11, defect 13: the Jool module reloaded comes back with another family id and, maybe, another "joold"
/// group. Played by a fake kernel process that stops and starts again at the same port id with other ids: the
/// channel says the family is gone, then rejoins, hears the new group and talks to the new family.
/// </summary>
public sealed class ModuleReloadTests
{
    [Fact]
    public async Task A_peer_back_with_other_family_and_group_ids_is_rejoined_and_heard()
    {
        var ct = TestContext.Current.CancellationToken;
        string instance = TestSessions.UniqueInstance("r");
        uint port = (uint)Random.Shared.Next(0x40000000, int.MaxValue);
        var first = await FakeKernelProcess.StartAsync(port, instance, cancellationToken: ct);
        var logger = new RecordingLogger<JoolNetlinkChannel>();
        await using var channel = new JoolNetlinkChannel(new JoolNetlinkOptions { Instance = instance, NetlinkPeer = port }, new JooldCounters(), logger);
        FakeKernelProcess? second = null;
        try
        {
            await channel.StartAsync(ct);
            var writer = new RecordingWriter();
            using var run = new CancellationTokenSource();
            var running = channel.RunAsync(writer, run.Token);
            ushort oldFamily = channel.FamilyId;
            uint oldGroup = channel.GroupId;
            Assert.Equal(first.GroupId, oldGroup);

            // "modprobe -r jool": a JOOLD_ADD meets no socket, and the channel finds the family gone.
            await first.DisposeAsync();
            var batch = new SessionBatch(TestSessions.Container(2, tag: 1), SessionSide.Peer);
            Assert.False(await channel.SendAsync(batch, ct));
            await Eventually.WaitAsync(() => logger.WithId(319).Any(), "the channel to say the family is gone");
            Assert.Contains($"netlink port id {port}", logger.WithId(319).First().Message, StringComparison.Ordinal);

            // "modprobe jool": back at the same port id, with another family id and another group.
            second = await StartWithOtherGroupAsync(port, instance, oldGroup, (ushort)(oldFamily + 1), ct);
            await Eventually.WaitAsync(
                () => channel.GroupId == second.GroupId && channel.FamilyId == second.FamilyId,
                $"the channel to rejoin (family {second.FamilyId}, group {second.GroupId}) within a few checks of {FamilyWatch.CheckInterval.TotalSeconds} s");
            await Eventually.WaitAsync(() => logger.WithId(320).Any(), "the rejoin's log line");
            string rejoined = Assert.Single(logger.WithId(320)).Message;
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"family id {second.FamilyId} (was {oldFamily})"), rejoined, StringComparison.Ordinal);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"group 'joold' {second.GroupId} (was {oldGroup})"), rejoined, StringComparison.Ordinal);

            // The new group is heard, and the ACK and the JOOLD_ADD carry the new family id.
            byte[] injected = await second.InjectRandomAsync(1, seed: 3, cancellationToken: ct);
            string expected = Describe(injected);
            await Eventually.WaitAsync(() => writer.Batches.Any(b => Describe(b) == expected), "the new group's multicast to reach the writer");
            await Eventually.ValueAsync(() => second.GetStatsAsync(ct), s => s.Acks == 1, "the new kernel to take the ACK");
            Assert.True(await channel.SendAsync(batch, ct));
            var stats = await Eventually.ValueAsync(() => second.GetStatsAsync(ct), s => s.PktRcvd == 1, "the new kernel to take the JOOLD_ADD");
            Assert.Equal(2, stats.SssRcvd);

            await run.CancelAsync();
            await running;
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task No_such_family_from_the_peer_makes_the_channel_check_at_once_not_at_its_next_period()
    {
        var ct = TestContext.Current.CancellationToken;
        string instance = TestSessions.UniqueInstance("h");
        uint port = (uint)Random.Shared.Next(0x40000000, int.MaxValue);
        var instances = new Dictionary<string, FakeInstanceSettings> { [instance] = new() };
        var first = await FakeJoolKernel.StartAsync(new FakeKernelOptions { PortId = port, Instances = instances }, ct);
        var time = new CountingTimeProvider();
        var logger = new RecordingLogger<JoolNetlinkChannel>();
        await using var channel = new JoolNetlinkChannel(new JoolNetlinkOptions { Instance = instance, NetlinkPeer = port }, new JooldCounters(), logger, time);
        FakeJoolKernel? second = null;
        try
        {
            await channel.StartAsync(ct);
            uint oldGroup = channel.GroupId;
            await first.DisposeAsync();
            second = await FakeJoolKernel.StartAsync(new FakeKernelOptions { PortId = port, FamilyId = (ushort)(first.FamilyId + 1), GroupId = oldGroup == 2 ? 3u : 2u, Instances = instances }, ct);

            // A JOOLD_ADD with the old family id: genetlink's answer (ENOENT) is the hint.
            Assert.True(await channel.SendAsync(new SessionBatch(TestSessions.Container(1), SessionSide.Peer), ct));
            await Eventually.WaitAsync(() => logger.WithId(307).Any(), "the peer's ENOENT to arrive");

            // The clock moves only by the least spacing of checks, never to the periodic one.
            var moved = TimeSpan.Zero;
            while (channel.FamilyId != second.FamilyId)
            {
                Assert.True(moved < FamilyWatch.CheckInterval - FamilyWatch.MinSpacing, $"no check within {moved.TotalMilliseconds} ms of the hint");
                int timers = time.TimersCreated;
                time.Advance(FamilyWatch.MinSpacing);
                moved += FamilyWatch.MinSpacing;
                await Eventually.WaitAsync(() => channel.FamilyId == second.FamilyId || time.TimersCreated > timers, "the watch to check or arm its next timer");
            }

            Assert.Equal(second.GroupId, channel.GroupId);

            // The new ids are in use a moment before the line that says so is written.
            await Eventually.WaitAsync(() => logger.WithId(320).Any(), "the rejoin's log line");
            Assert.Single(logger.WithId(320));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    /// <summary>Sessions without their expiration (computed at send time on the fake's own clock).</summary>
    private static string Describe(byte[] container) =>
        string.Join(';', SessionContainer.ReadAll(container).Select(s => $"{s with { ExpirationMilliseconds = 0 }}"));

    /// <summary>A fake at <paramref name="port"/> whose group is not <paramref name="oldGroup"/> (the picker is random: a few tries).</summary>
    private static async Task<FakeKernelProcess> StartWithOtherGroupAsync(uint port, string instance, uint oldGroup, ushort family, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var fake = await FakeKernelProcess.StartAsync(port, instance, arguments: ["--family-id", family.ToString(CultureInfo.InvariantCulture)], cancellationToken: ct);
            if (fake.GroupId != oldGroup || attempt >= 20)
            {
                Assert.NotEqual(oldGroup, fake.GroupId);
                return fake;
            }

            await fake.DisposeAsync();
        }
    }
}
