using FsCheck;
using FsCheck.Xunit;
using Joold.Stats;

namespace Joold.Core.Tests.Stats;

/// <summary>Reading a stats reply back: what clients (the demo, the load tool, the tests) rely on.</summary>
public class JooldStatsTextParseTests
{
    private const string ManPageReply = "KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n";

    [Fact]
    public void The_man_page_reply_gives_its_six_counters_and_nothing_else()
    {
        Assert.True(JooldStatsText.TryParse(ManPageReply, out var stats, out string? error));

        Assert.Null(error);
        Assert.Equal(new StatsSnapshot { KernelSentPackets = 4, KernelSentBytes = 160, NetSentPackets = 4, NetSentBytes = 160 }, stats);
    }

    [Fact]
    public void The_largest_values_read_back_in_full()
    {
        var largest = new StatsSnapshot
        {
            KernelSentPackets = long.MaxValue,
            KernelSentBytes = long.MaxValue - 1,
            NetReceivedPackets = 2_147_483_648,
            NetReceivedBytes = 4_320_000_000,
            NetSentPackets = 0,
            NetSentBytes = 1,
        };

        Assert.Equal(largest, JooldStatsText.Parse(JooldStatsText.Format(largest)));
    }

    [Property]
    public void What_Format_writes_Parse_reads_back(NonNegativeInt a, NonNegativeInt b, long c, long d, long e, long f)
    {
        var stats = new StatsSnapshot
        {
            KernelSentPackets = a.Get,
            KernelSentBytes = (long)b.Get * 40,
            NetReceivedPackets = Math.Abs(c % long.MaxValue),
            NetReceivedBytes = Math.Abs(d % long.MaxValue),
            NetSentPackets = Math.Abs(e % long.MaxValue),
            NetSentBytes = Math.Abs(f % long.MaxValue),
        };

        Assert.True(JooldStatsText.TryParse(JooldStatsText.Format(stats), out var parsed));
        Assert.Equal(stats, parsed);
    }

    [Theory]
    [InlineData("", "line 1 (KERNEL_SENT_PKTS) is missing")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,160\n", "line 3 (NET_RCVD_PKTS) is missing: the reply has 2 lines, not 6.")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160", "line 6 (\"NET_SENT_BYTES,160\") does not end with a newline.")]
    [InlineData("KERNEL_SENT_BYTES,160\nKERNEL_SENT_PKTS,4\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 1 is \"KERNEL_SENT_BYTES,160\", not \"KERNEL_SENT_PKTS,<decimal count>\".")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\nDROPPED,0\n", "the six lines are followed by \"DROPPED,0\\n\".")]
    [InlineData("KERNEL_SENT_PKTS,4\r\nKERNEL_SENT_BYTES,160\r\nNET_RCVD_PKTS,0\r\nNET_RCVD_BYTES,0\r\nNET_SENT_PKTS,4\r\nNET_SENT_BYTES,160\r\n", "line 1 is \"KERNEL_SENT_PKTS,4\r\"")]
    [InlineData("KERNEL_SENT_PKTS 4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 1 is")]
    [InlineData("KERNEL_SENT_PKTS\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 1 is")]
    [InlineData("KERNEL_SENT_PKTS,\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 1 is")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,-160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 2 is")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,+160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 2 is")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES, 160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 2 is")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0x10\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 3 is")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,9223372036854775808\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 4 is \"NET_RCVD_BYTES,9223372036854775808\"")]
    [InlineData("KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4,5\nNET_SENT_BYTES,160\n", "line 5 is")]
    [InlineData("kernel_sent_pkts,4\nKERNEL_SENT_BYTES,160\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,160\n", "line 1 is")]
    public void Anything_but_the_six_lines_in_order_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(JooldStatsText.TryParse(text, out var stats, out string? error));

        Assert.Equal(default, stats);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        Assert.False(JooldStatsText.TryParse(text, out _));
        var thrown = Assert.Throws<FormatException>(() => JooldStatsText.Parse(text));
        Assert.Contains(error, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_garbage_reply_is_quoted_shortened_in_the_error()
    {
        string garbage = new('x', 70_000);

        var thrown = Assert.Throws<FormatException>(() => JooldStatsText.Parse(garbage));

        Assert.Contains("(70000 characters)", thrown.Message, StringComparison.Ordinal);
        Assert.True(thrown.Message.Length < 2 * (JooldStatsText.MaxLength + 200), $"{thrown.Message.Length} characters");
    }

    [Fact]
    public void Newlines_in_quoted_text_are_shown_escaped()
    {
        Assert.False(JooldStatsText.TryParse("KERNEL_SENT_PKTS,4\nJUNK\n", out _, out string? error));

        Assert.Equal("line 2 is \"JUNK\", not \"KERNEL_SENT_BYTES,<decimal count>\".", error);
        var thrown = Assert.Throws<FormatException>(() => JooldStatsText.Parse("KERNEL_SENT_PKTS,4\nJUNK\n"));
        Assert.EndsWith("The reply: \"KERNEL_SENT_PKTS,4\\nJUNK\\n\"", thrown.Message, StringComparison.Ordinal);
    }
}
