using Joold.FakeKernel;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// The fake's latency stamps (the load tool's <c>stamps</c> command): a multicast sent and the JOOLD_ADD that
/// carries the same entries get the same key, and nothing is noted while off.
/// </summary>
public sealed class FakeKernelStampsTests
{
    [Fact]
    public async Task A_multicast_and_the_add_of_its_entries_are_stamped_with_one_key_in_order()
    {
        await using var fake = await FakeKernelTests.StartAsync(new FakeTimeProvider(), "nat64", new FakeInstanceSettings { MaxSessionsPerPacket = 1 });
        using var client = new NetlinkTestClient(fake);
        fake.StartStamps(capacity: 10);

        fake.Inject("nat64", [TestSessions.Example]);
        byte[] multicast = await client.ReceiveAsync();
        client.SendAdd("nat64", multicast.AsSpan(multicast.Length - 40));
        await client.AssertNoReplyPendingAsync("nat64");
        var lines = fake.StopStamps();

        Assert.Equal(1, fake.GetStats("nat64").PktRcvd);
        Assert.Equal(2, lines.Count);
        string[] sent = lines[0].Split(' ');
        string[] added = lines[1].Split(' ');
        Assert.Equal(["stamp", "sent"], sent[..2]);
        Assert.Equal(["stamp", "added"], added[..2]);
        Assert.Equal(sent[2], added[2]);
        Assert.True(long.Parse(added[3], System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(sent[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Nothing_is_noted_before_start_or_after_stop_and_a_full_table_stops_noting()
    {
        await using var fake = await FakeKernelTests.StartAsync(new FakeTimeProvider(), "nat64", new FakeInstanceSettings { MaxSessionsPerPacket = 1 });
        using var client = new NetlinkTestClient(fake);

        fake.Inject("nat64", [TestSessions.Example]);
        await client.ReceiveAsync();
        fake.StartStamps(capacity: 1);
        fake.MulticastSessions("nat64", TestSessions.Container(1));
        fake.MulticastSessions("nat64", TestSessions.Container(2));
        var lines = fake.StopStamps();
        fake.MulticastSessions("nat64", TestSessions.Container(1));

        Assert.Single(lines);
        Assert.StartsWith("stamp sent ", lines[0], StringComparison.Ordinal);
        Assert.Single(fake.StopStamps());
    }
}
