using System.Diagnostics;

namespace Joold.LoadTest.Tests;

public class LatencyTests
{
    [Fact]
    public void Each_added_batch_matches_the_latest_send_of_its_key_before_it()
    {
        // Key 1 is sent twice (the load reuses its sessions): the second add belongs to the second send.
        (long, long)[] sent = [(1, 100), (2, 110), (1, 500)];
        (long, long)[] added = [(1, 130), (2, 150), (1, 520)];

        Assert.Equal([30L, 40L, 20L], Latency.Match(sent, added));
    }

    [Fact]
    public void An_add_with_no_send_of_its_key_before_it_is_left_out()
    {
        (long, long)[] sent = [(1, 100)];
        (long, long)[] added = [(2, 130), (1, 50), (1, 100)];

        Assert.Equal([0L], Latency.Match(sent, added));
    }

    [Fact]
    public void Parse_reads_the_fakes_stamp_lines_of_one_kind()
    {
        string[] lines = ["stamp sent ff 10", "stamp added a 20", "ok", "stamp sent -1 5", "stamp sent 1f 30"];

        Assert.Equal([(255L, 10L), (31L, 30L)], Latency.Parse(lines, "sent"));
        Assert.Equal([(10L, 20L)], Latency.Parse(lines, "added"));
    }

    [Fact]
    public void FromStamps_gives_percentiles_in_microseconds()
    {
        long microsecond = Stopwatch.Frequency / 1_000_000;
        var a = Enumerable.Range(1, 100).Select(i => $"stamp sent {i:x} {i * 1_000_000}");
        var b = Enumerable.Range(1, 100).Select(i => $"stamp added {i:x} {(i * 1_000_000) + (i * microsecond)}");

        var latency = Latency.FromStamps(a, b);

        Assert.Equal(100, latency.Batches);
        Assert.Equal(50, latency.P50, 6);
        Assert.Equal(99, latency.P99, 6);
        Assert.Equal(100, latency.Max, 6);
    }

    [Fact]
    public void FromStamps_without_matches_is_none()
    {
        var latency = Latency.FromStamps(["stamp sent 1 5"], ["stamp added 2 6"]);

        Assert.Equal(0, latency.Batches);
        Assert.True(double.IsNaN(latency.P50));
    }

    [Fact]
    public void The_send_rate_is_the_stamped_sends_over_their_span()
    {
        // 1,001 sends one millisecond apart (out of order): 1,000 per second.
        long millisecond = Stopwatch.Frequency / 1000;
        var sent = Enumerable.Range(0, 1001).Reverse().Select(i => ((long)i, i * millisecond)).ToList();

        Assert.Equal(1000, Latency.Rate(sent), 6);
        Assert.Equal(1000, Latency.FromStamps(sent.Select(s => $"stamp sent {s.Item1:x} {s.Item2}"), []).SentPerSecond, 6);
    }

    [Fact]
    public void Fewer_than_two_sends_have_no_rate()
    {
        Assert.True(double.IsNaN(Latency.Rate([])));
        Assert.True(double.IsNaN(Latency.Rate([(1, 5)])));
        Assert.True(double.IsNaN(Latency.Rate([(1, 5), (2, 5)])));
    }
}
