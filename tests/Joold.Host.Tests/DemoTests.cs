using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>The README's first command, run as a newcomer runs it.</summary>
public class DemoTests
{
    [Fact]
    public async Task The_demo_relays_every_session_and_exits_zero()
    {
        var (exitCode, stdout, stderr) = await DaemonProcess.RunJooldAsync(["demo", "--seconds", "2", "--rate", "50"]);

        Assert.True(exitCode == 0, $"exit {exitCode}: {stdout} {stderr}");
        Assert.Contains("A -> B:", stdout, StringComparison.Ordinal);
        Assert.Contains("B -> A:", stdout, StringComparison.Ordinal);
        Assert.Contains("PASS", stdout, StringComparison.Ordinal);
        Assert.Matches(@"1s +A: emitted +\d+", stdout);
        Assert.Matches(@"end +A: emitted +\d+", stdout);
        Assert.Matches("KERNEL_SENT_PKTS=[1-9]", stdout);
    }

    [Fact]
    public async Task The_demo_notices_a_lost_batch_and_exits_non_zero()
    {
        var (exitCode, stdout, _) = await DaemonProcess.RunJooldAsync(["demo", "--seconds", "1", "--rate", "20", "--lose-one"]);

        Assert.Equal(1, exitCode);
        Assert.Contains("missing", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--seconds", "0")]
    [InlineData("--rate", "0")]
    public async Task The_demo_refuses_nonsense_arguments(string option, string value)
    {
        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["demo", option, value]);

        Assert.Equal(1, exitCode);
        Assert.Contains("--seconds must be from 1 to 3600 and --rate from 1 to 10000", stderr, StringComparison.Ordinal);
    }
}
