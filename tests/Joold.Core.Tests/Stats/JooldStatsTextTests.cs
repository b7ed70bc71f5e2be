using System.Text;
using Joold.Stats;

namespace Joold.Core.Tests.Stats;

public class JooldStatsTextTests
{
    private static readonly StatsSnapshot ManPageExample = new()
    {
        KernelSentPackets = 4,
        KernelSentBytes = 208,
        NetSentPackets = 4,
        NetSentBytes = 208,
    };

    private static readonly StatsSnapshot BeyondInt = new()
    {
        KernelSentPackets = 3_000_000,
        KernelSentBytes = 4_320_000_000,
        NetReceivedPackets = 2_147_483_648,
        NetReceivedBytes = long.MaxValue,
        NetSentPackets = 1,
        NetSentBytes = 40,
        Dropped = 99,
    };

    [Fact]
    public void Writes_the_six_lines_of_c_joold_exactly()
    {
        Assert.Equal(
            "KERNEL_SENT_PKTS,4\nKERNEL_SENT_BYTES,208\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,4\nNET_SENT_BYTES,208\n"u8.ToArray(),
            WriteToArray(ManPageExample));
    }

    [Fact]
    public void Writes_64_bit_values_in_full()
    {
        Assert.Equal(
            "KERNEL_SENT_PKTS,3000000\nKERNEL_SENT_BYTES,4320000000\nNET_RCVD_PKTS,2147483648\nNET_RCVD_BYTES,9223372036854775807\nNET_SENT_PKTS,1\nNET_SENT_BYTES,40\n"u8.ToArray(),
            WriteToArray(BeyondInt));
    }

    [Fact]
    public void Format_is_the_same_text_as_Write()
    {
        foreach (var stats in new[] { default, ManPageExample, BeyondInt })
        {
            Assert.Equal(Encoding.ASCII.GetString(WriteToArray(stats)), JooldStatsText.Format(stats));
        }

        Assert.Equal("KERNEL_SENT_PKTS,0\nKERNEL_SENT_BYTES,0\nNET_RCVD_PKTS,0\nNET_RCVD_BYTES,0\nNET_SENT_PKTS,0\nNET_SENT_BYTES,0\n", JooldStatsText.Format(default));
    }

    [Fact]
    public void The_largest_possible_reply_fits_in_MaxLength_and_a_small_buffer_is_refused()
    {
        long max = long.MaxValue;
        var largest = new StatsSnapshot
        {
            KernelSentPackets = max,
            KernelSentBytes = max,
            NetReceivedPackets = max,
            NetReceivedBytes = max,
            NetSentPackets = max,
            NetSentBytes = max,
        };

        Assert.True(WriteToArray(largest).Length <= JooldStatsText.MaxLength);
        Assert.Throws<ArgumentException>(() => JooldStatsText.Write(ManPageExample, new byte[20]));
    }

    private static byte[] WriteToArray(in StatsSnapshot stats)
    {
        var buffer = new byte[JooldStatsText.MaxLength];
        return buffer[..JooldStatsText.Write(stats, buffer)];
    }
}
