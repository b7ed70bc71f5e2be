using System.Net;
using Joold.Plugins.StatsUdp;
using Microsoft.Extensions.Time.Testing;

namespace Joold.Plugins.Tests;

public sealed class SourceRateLimiterTests
{
    private static SocketAddress Source(string address, int port = 40000) => new IPEndPoint(IPAddress.Parse(address), port).Serialize();

    private static int Takes(SourceRateLimiter limiter, SocketAddress source, int tries) =>
        Enumerable.Range(0, tries).Count(_ => limiter.TryTake(source));

    [Fact]
    public void A_source_gets_its_burst_at_once_then_its_rate()
    {
        var time = new FakeTimeProvider();
        var limiter = new SourceRateLimiter(perSecond: 10, burst: 5, time);
        var source = Source("192.0.2.1");

        Assert.Equal(5, Takes(limiter, source, 100));
        Assert.Equal(95, limiter.Refused);

        time.Advance(TimeSpan.FromMilliseconds(350));
        Assert.Equal(3, Takes(limiter, source, 100));

        // Idle long enough to refill, never more than the burst.
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(5, Takes(limiter, source, 100));
        Assert.Equal(95 + 97 + 95, limiter.Refused);
    }

    [Fact]
    public void Sources_are_addresses_whatever_the_port_and_IPv4_is_IPv4_mapped_IPv6()
    {
        var limiter = new SourceRateLimiter(perSecond: 1, burst: 2, new FakeTimeProvider());

        Assert.True(limiter.TryTake(Source("192.0.2.1", 1)));
        Assert.True(limiter.TryTake(Source("::ffff:192.0.2.1", 2)));
        Assert.False(limiter.TryTake(Source("192.0.2.1", 3)));

        Assert.True(limiter.TryTake(Source("192.0.2.2", 1)));
        Assert.True(limiter.TryTake(Source("2001:db8::1", 1)));
        Assert.True(limiter.TryTake(Source("::192.0.2.1", 1)));
    }

    [Fact]
    public void A_newcomer_takes_the_slot_of_an_idle_source_but_not_of_one_over_its_pace()
    {
        var time = new FakeTimeProvider();
        var limiter = new SourceRateLimiter(perSecond: 1, burst: 1, time);
        var sameSet = SourcesSharingASet(SourceRateLimiter.Ways + 1);

        // The set fills with sources that just spent their bucket: a fifth finds no slot, whatever its own bucket.
        foreach (var source in sameSet[..SourceRateLimiter.Ways])
        {
            Assert.True(limiter.TryTake(source));
        }

        Assert.False(limiter.TryTake(sameSet[^1]));
        Assert.Equal(1, limiter.Refused);

        // A flood of them cannot refill a source's bucket by pushing it out of the table.
        Assert.Equal(0, Takes(limiter, sameSet[0], 10));
        Assert.Equal(0, Takes(limiter, sameSet[^1], 10));

        // A second later every bucket is full again: an idle slot is free for the newcomer.
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryTake(sameSet[^1]));
        Assert.False(limiter.TryTake(sameSet[^1]));
    }

    [Fact]
    public void Sources_in_different_sets_do_not_meet()
    {
        var limiter = new SourceRateLimiter(perSecond: 1, burst: 1, new FakeTimeProvider());
        var sources = Enumerable.Range(1, 1000).Select(i => Source($"10.0.{i >> 8}.{i & 0xFF}")).ToArray();
        int crowded = sources.GroupBy(SourceRateLimiter.SetOf).Where(g => g.Count() > SourceRateLimiter.Ways).Sum(g => g.Count() - SourceRateLimiter.Ways);

        // A thousand sources in 1,024 sets of four: only those past the fourth of their set are refused.
        Assert.Equal(sources.Length - crowded, sources.Count(limiter.TryTake));
    }

    /// <summary>Addresses whose hash (seeded per process) picks the same set.</summary>
    private static SocketAddress[] SourcesSharingASet(int count)
    {
        var bySet = new Dictionary<int, List<SocketAddress>>();
        for (int i = 1; ; i++)
        {
            var source = Source($"10.{(i >> 16) & 0xFF}.{(i >> 8) & 0xFF}.{i & 0xFF}");
            int set = SourceRateLimiter.SetOf(source);
            if (!bySet.TryGetValue(set, out var list))
            {
                bySet[set] = list = [];
            }

            list.Add(source);
            if (list.Count == count)
            {
                return [.. list];
            }
        }
    }
}
