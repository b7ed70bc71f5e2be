using System.Globalization;
using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.Ops.Tests;

/// <summary>Under systemd's journal (JOURNAL_STREAM set), log lines carry syslog priorities for journalctl -p.</summary>
public class JournalLoggingTests
{
    [Fact]
    public async Task Log_lines_under_the_journal_start_with_their_priority()
    {
        using var directory = new TempDirectory();
        int[] udp = RacyLoopbackPorts.Pick(2);
        await using var kernel = await FakeKernelProcess.StartAsync(instance: "journal", cancellationToken: TestContext.Current.CancellationToken);
        string config = directory.File("joold.json", string.Create(CultureInfo.InvariantCulture, $$"""
            { "JoolNetlink": { "instance": "missing", "netlink peer": {{kernel.PortId}} }, "Unicast": { "listen": "127.0.0.1:{{udp[0]}}", "peers": ["127.0.0.1:{{udp[1]}}"] } }
            """));
        await using var daemon = DaemonProcess.Start("env", ["JOURNAL_STREAM=8:12345", "dotnet", DaemonProcess.JooldDll, "run", config], directory.Path);

        // The kernel link warns that the kernel has no instance by that name: a warning, priority 4.
        await daemon.WaitForOutputAsync("Relay started");
        await daemon.WaitForOutputAsync("Jool has no instance named 'missing'");
        Assert.Equal(0, await daemon.TerminateAsync());

        string[] lines = daemon.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("<6>", StringComparison.Ordinal) && l.Contains("Relay started", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("<4>", StringComparison.Ordinal) && l.Contains("Jool has no instance named 'missing'", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches("^<[0-7]>", l));
    }

    [Fact]
    public async Task Log_lines_at_a_terminal_keep_their_timestamp()
    {
        using var directory = new TempDirectory();
        int[] udp = RacyLoopbackPorts.Pick(2);
        await using var kernel = await FakeKernelProcess.StartAsync(instance: "journal", cancellationToken: TestContext.Current.CancellationToken);
        string config = directory.File("joold.json", string.Create(CultureInfo.InvariantCulture, $$"""
            { "JoolNetlink": { "instance": "journal", "netlink peer": {{kernel.PortId}} }, "Unicast": { "listen": "127.0.0.1:{{udp[0]}}", "peers": ["127.0.0.1:{{udp[1]}}"] } }
            """));
        await using var daemon = DaemonProcess.Start("env", ["-u", "JOURNAL_STREAM", "dotnet", DaemonProcess.JooldDll, "run", config], directory.Path);

        await daemon.WaitForOutputAsync("Relay started");
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d\.\d{3} info: .*Relay started", daemon.StandardError);
    }
}
