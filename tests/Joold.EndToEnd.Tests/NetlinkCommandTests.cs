using System.Diagnostics;
using System.Globalization;
using Joold.EndToEnd.Tests.Support;
using Joold.FakeKernel;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.EndToEnd.Tests;

/// <summary><c>joold follow</c> and <c>joold advertise</c> as processes, against a fake kernel process.</summary>
public class NetlinkCommandTests
{
    private const int JnlopJooldAdvertise = 28;

    [Fact]
    public async Task Follow_prints_one_line_per_session_as_jool_session_follow_and_acks_each_batch()
    {
        var ct = TestContext.Current.CancellationToken;
        var pids = new List<int>();
        await using (var kernel = await FakeKernelProcess.StartAsync(instance: "e2e-follow", cancellationToken: ct))
        await using (var follow = DaemonProcess.StartJoold(["follow", "--netlink-peer", kernel.PortId.ToString(CultureInfo.InvariantCulture), "-i", "e2e-follow"]))
        {
            pids.AddRange([kernel.ProcessId, follow.Id]);
            await follow.WaitForOutputAsync(JooldLog.RelayStarted);

            var clock = Stopwatch.StartNew();
            var sent = SessionContainer.ReadAll(await kernel.InjectRandomAsync(72, seed: 29, cancellationToken: ct));

            await Eventually.WaitAsync(() => Lines(follow).Length >= sent.Count, $"{sent.Count} lines from joold follow");
            var stats = await KernelWait.AllSentAsync(kernel, sent.Count, "the follow kernel");
            Assert.InRange(stats.PktSent, 2, sent.Count);
            Assert.Equal(stats.PktSent, stats.Acks);

            string[] lines = Lines(follow);
            long slackMs = SessionAssert.ExpirationSlackMs(clock.Elapsed);
            Assert.Equal(sent.Count, lines.Length);
            for (int i = 0; i < sent.Count; i++)
            {
                var s = sent[i];
                int comma = lines[i].LastIndexOf(',');
                string name = s.Protocol switch { L4Protocol.Tcp => "TCP", L4Protocol.Udp => "UDP", L4Protocol.Icmp => "ICMP", _ => "unknown" };
                Assert.Equal($"{name},{FollowLine.FormatIPv6(s.Source6)},{s.Source6Port},{s.Source4},{s.Source4Port},{s.Destination4},{s.Destination4Port}", lines[i][..comma]);
                long printed = ParseExpiration(lines[i][(comma + 1)..]);
                Assert.InRange(printed, (long)s.ExpirationMilliseconds - slackMs + 1, s.ExpirationMilliseconds);
            }

            Assert.Equal(0, await follow.TerminateAsync());
        }

        Assert.DoesNotContain(pids, Leftovers.IsRunning);
    }

    [Fact]
    public async Task Advertise_succeeds_when_the_kernel_accepts_and_fails_with_its_error_text_when_it_refuses()
    {
        var ct = TestContext.Current.CancellationToken;
        int kernelProcess;
        await using (var kernel = await FakeKernelProcess.StartAsync(instance: "e2e-advertise", cancellationToken: ct))
        {
            kernelProcess = kernel.ProcessId;
            string[] advertise = ["advertise", "--netlink-peer", kernel.PortId.ToString(CultureInfo.InvariantCulture), "-i", "e2e-advertise"];
            await kernel.InjectRandomAsync(3, seed: 28, cancellationToken: ct);

            var (exitCode, stdout, stderr) = await DaemonProcess.RunJooldAsync(advertise);
            Assert.True(exitCode == 0, $"exit code {exitCode}; stderr: {stderr}");
            Assert.Contains("The kernel accepted the advertisement.", stdout, StringComparison.Ordinal);
            Assert.Equal(1, (await kernel.GetStatsAsync(ct)).Ads);

            await kernel.CommandAsync("ss-enabled false", ct);
            (exitCode, stdout, stderr) = await DaemonProcess.RunJooldAsync(advertise);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("Session sync is disabled on this instance.", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("accepted", stdout, StringComparison.Ordinal);
            Assert.Equal(1, (await kernel.GetStatsAsync(ct)).Ads);

            var requests = (await kernel.GetReceivedAsync(ct)).Count(m => m.Type == kernel.FamilyId && m.Command == JnlopJooldAdvertise);
            Assert.Equal(2, requests);
        }

        Assert.False(Leftovers.IsRunning(kernelProcess));
    }

    private static string[] Lines(DaemonProcess process) =>
        process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>"H:MM:SS" or "H:MM:SS.mmm" back to milliseconds.</summary>
    private static long ParseExpiration(string text)
    {
        string[] parts = text.Split(':');
        Assert.Equal(3, parts.Length);
        Assert.Equal(2, parts[1].Length);
        string[] seconds = parts[2].Split('.');
        Assert.Equal(2, seconds[0].Length);
        long ms = seconds.Length == 2 ? long.Parse(seconds[1], CultureInfo.InvariantCulture) : 0;
        if (seconds.Length == 2)
        {
            Assert.Equal(3, seconds[1].Length);
            Assert.NotEqual(0, ms);
        }

        return (((long.Parse(parts[0], CultureInfo.InvariantCulture) * 60) + long.Parse(parts[1], CultureInfo.InvariantCulture)) * 60 * 1000)
            + (long.Parse(seconds[0], CultureInfo.InvariantCulture) * 1000) + ms;
    }
}
