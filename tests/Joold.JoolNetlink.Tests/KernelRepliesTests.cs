using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>Kernel error replies, the ACK loop of spec 6.2, and receive-buffer overruns.</summary>
public sealed class KernelRepliesTests
{
    [Fact]
    public async Task When_the_kernel_rejects_every_ack_the_number_of_acks_stays_one_per_batch()
    {
        await using var h = await PluginHarness.StartAsync();
        h.Fake.AckMode = AckMode.Reject;

        // No ACK is accepted, so after the first batch only the deadline releases the next ones.
        h.Fake.Inject(h.Instance, TestSessions.Many(36 * 3));
        await Eventually.WaitAsync(() => h.Logger.WithId(307).Any(), "the first error reply to be logged");
        for (int batch = 2; batch <= 3; batch++)
        {
            // Past the deadline (strictly later than last flush + 2000 ms), then the timer's work.
            h.Time.Advance(TimeSpan.FromMilliseconds(2001));
            h.Fake.Tick();
            int expected = batch;
            await Eventually.WaitAsync(() => h.Writer.Batches.Count == expected && h.Channel.AcksSent == expected, $"batch {expected} and its ACK");
        }

        await h.SentinelAsync();
        await Eventually.WaitAsync(() => h.Fake.Received.Count(m => m.Command == FakeJoolKernel.CmdJooldAck) == 4, "the four ACKs at the fake");
        Assert.Equal(4, h.Channel.AcksSent);
        Assert.Equal(0, h.Fake.GetStats(h.Instance).Acks);
        var error = h.Logger.WithId(307).First();
        Assert.Contains("lacks an instance named", error.Message, StringComparison.Ordinal);
        Assert.Contains("error 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overrun_is_counted_and_the_plugin_keeps_receiving()
    {
        await using var h = await PluginHarness.StartAsync(receiveBuffer: 1024);

        // Hold the plugin inside the writer so nothing drains the tiny buffer while the burst arrives.
        h.Writer.Hold();
        h.Fake.MulticastSessions(h.Instance, TestSessions.Container(1, tag: 1));
        await Eventually.WaitAsync(() => h.Writer.Entered == 1, "the plugin to be busy in the writer");
        for (int i = 0; i < 50; i++)
        {
            h.Fake.MulticastSessions(h.Instance, TestSessions.Container(36, tag: 2));
        }

        h.Writer.Release();
        await Eventually.WaitAsync(() => h.Counters.GetSnapshot().Overruns > 0, "the overrun to be counted");

        // Netlink drops every multicast to the socket until its queue has been drained once after the overrun
        // (NETLINK_S_CONGESTED), so a batch sent right now may be lost too: retry until one gets through.
        bool through = false;
        for (int attempt = 0; attempt < 20 && !through; attempt++)
        {
            byte[] container = TestSessions.Container(1, tag: 100 + attempt);
            h.Fake.MulticastSessions(h.Instance, container);
            try
            {
                await Eventually.WaitAsync(() => h.Writer.Contains(container), "a batch after the overrun", TimeSpan.FromSeconds(1));
                through = true;
            }
            catch (TimeoutException)
            {
            }
        }

        Assert.True(through, "no batch got through after the overrun");
        Assert.Single(h.Logger.WithId(310));
        Assert.False(h.RunTask.IsCompleted);
        Assert.True(h.Writer.Batches.Count < 52, "some of the burst was lost to the overrun");
    }

    [Fact]
    public async Task The_receive_buffer_size_is_logged()
    {
        await using var h = await PluginHarness.StartAsync(receiveBuffer: 1 << 20);

        var log = Assert.Single(h.Logger.WithId(301));
        Assert.Contains("1048576", log.Message, StringComparison.Ordinal);
        Assert.Contains("SO_RCVBUFFORCE", log.Message, StringComparison.Ordinal);
    }
}
