using System.Net;

namespace Joold.Testing.Tests;

/// <summary>The child-process wrapper every process-level test and the load tool use.</summary>
public class DaemonProcessTests
{
    [Fact]
    public async Task Output_is_captured_line_by_line_and_the_exit_code_kept_after_disposal()
    {
        var process = DaemonProcess.Start("sh", ["-c", "echo out1; echo err1 >&2; echo out2; exit 3"]);

        Assert.Equal(3, await process.WaitForExitAsync());
        await process.DisposeAsync();

        Assert.Equal("out1\nout2\n", process.StandardOutput);
        Assert.Equal("err1\n", process.StandardError);
        Assert.True(process.HasExited);
        Assert.Equal(3, process.ExitCode);
        Assert.True(process.HasPrinted("err1"));
    }

    [Fact]
    public async Task A_wait_for_output_fails_at_once_when_the_process_exits_without_printing_it()
    {
        await using var process = DaemonProcess.Start("sh", ["-c", "echo started; exit 1"]);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => process.WaitForOutputAsync("never printed", TimeSpan.FromMinutes(5)));

        Assert.Contains("exited with 1 before printing \"never printed\"", failure.Message, StringComparison.Ordinal);
        Assert.Contains("started", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLineAsync_returns_each_stdout_line_once_in_order_then_null()
    {
        await using var process = DaemonProcess.Start("sh", ["-c", "read x; echo got $x; echo second"]);
        var ct = TestContext.Current.CancellationToken;
        await process.StandardInput.WriteLineAsync("ping".AsMemory(), ct);
        await process.StandardInput.FlushAsync(ct);

        Assert.Equal("got ping", await process.ReadLineAsync(cancellationToken: ct));
        Assert.Equal("second", await process.ReadLineAsync(cancellationToken: ct));
        Assert.Null(await process.ReadLineAsync(cancellationToken: ct));
        Assert.Null(await process.ReadLineAsync(cancellationToken: ct));
        Assert.Equal("got ping\nsecond\n", process.StandardOutput);
    }

    [Fact]
    public async Task ReadLineAsync_times_out_naming_the_process()
    {
        await using var process = DaemonProcess.Start("sleep", ["600"]);

        var failure = await Assert.ThrowsAsync<TimeoutException>(() => process.ReadLineAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken));

        Assert.Contains("sleep 600", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("info: Joold.Plugins.Unicast.UnicastTransport[550] Unicast transport listening on UDP 127.0.0.1:40123; peers: 127.0.0.1:7000.", "127.0.0.1:40123")]
    [InlineData("info: Joold.Plugins.Unicast.UnicastTransport[550] Unicast transport listening on UDP [::1]:7000; peers: [::1]:7001.", "[::1]:7000")]
    [InlineData("15:00:00.000 info: X[500] Stats server listening on UDP 0.0.0.0:6401.", "0.0.0.0:6401")]
    [InlineData("Stats server listening on UDP [::]:6401.", "[::]:6401")]
    public async Task The_endpoint_a_daemon_logs_is_read_back_from_its_line(string line, string expected)
    {
        string marker = line.Contains("Unicast", StringComparison.Ordinal) ? JooldLog.UnicastListening : JooldLog.StatsListening;
        await using var process = DaemonProcess.Start("sh", ["-c", "echo \"$0\" >&2; exec sleep 600", line]);

        var endPoint = await process.WaitForEndPointAsync(marker);

        Assert.Equal(IPEndPoint.Parse(expected), endPoint);
    }

    [Fact]
    public async Task A_line_without_an_endpoint_after_the_marker_is_an_error_that_quotes_it()
    {
        await using var process = DaemonProcess.Start("sh", ["-c", "echo 'Stats server listening on UDP nowhere.'; exec sleep 600"]);

        var failure = await Assert.ThrowsAsync<FormatException>(() => process.WaitForEndPointAsync(JooldLog.StatsListening));

        Assert.Contains("nowhere.", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_kills_the_whole_process_tree()
    {
        var process = DaemonProcess.Start("sh", ["-c", "sleep 600 & echo child $!; wait"]);
        string line = await process.WaitForLineAsync(l => l.StartsWith("child ", StringComparison.Ordinal), "the child's pid");
        int child = int.Parse(line["child ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Directory.Exists($"/proc/{child}"));

        await process.DisposeAsync();

        Assert.True(process.HasExited);
        await Eventually.WaitAsync(() => !IsRunning(child), $"child {child} to be gone");
    }

    [Fact]
    public async Task TerminateAsync_sends_SIGTERM_and_returns_the_exit_code()
    {
        await using var process = DaemonProcess.Start("sh", ["-c", "trap 'exit 42' TERM; echo ready; while :; do sleep 0.1; done"]);
        await process.WaitForOutputAsync("ready");

        Assert.Equal(42, await process.TerminateAsync());
    }

    /// <summary>Running, and not a zombie waiting for its parent.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
