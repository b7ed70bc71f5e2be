using System.Net.Sockets;
using System.Text;
using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>
/// Under systemd (Type=notify) the daemon says READY=1 once every component started and STOPPING=1 on SIGTERM.
/// systemd is not PID 1 here, so the daemon runs as PID 1 of its own PID namespace with NOTIFY_SOCKET set, which
/// is how the host recognizes a (containerized) systemd service.
/// </summary>
public class SystemdTests
{
    [Fact]
    public async Task The_daemon_notifies_readiness_and_stopping()
    {
        using var dir = new TempDirectory();
        string socketPath = Path.Combine(dir.Path, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string config = dir.File("joold.json", $$$"""{"JoolNetlink": {"netlink peer": {{{kernel.PortId}}} }, "Unicast": {"listen": "127.0.0.1:0", "peers": ["127.0.0.1:9"]}}""");

        await using var daemon = DaemonProcess.Start(
            "unshare",
            ["--pid", "--fork", "--kill-child=SIGTERM", "--mount-proc", "env", $"NOTIFY_SOCKET={socketPath}", DotnetHost.Path, DaemonProcess.JooldDll, "run", config],
            dir.Path);

        string ready = await ReceiveAsync(notify, "READY=1", daemon);
        Assert.Contains("READY=1", ready, StringComparison.Ordinal);

        // unshare itself ignores SIGTERM while it waits, so signal the daemon, its only child, as systemd would.
        string children = await File.ReadAllTextAsync($"/proc/{daemon.Id}/task/{daemon.Id}/children", TestContext.Current.CancellationToken);
        string child = Assert.Single(children.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        DaemonProcess.Signal(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture), Tmds.Linux.LibC.SIGTERM);

        await daemon.WaitForExitAsync(Eventually.DefaultTimeout);
        Assert.Equal(0, daemon.ExitCode);
        string stopping = await ReceiveAsync(notify, "STOPPING=1", daemon);
        Assert.Contains("STOPPING=1", stopping, StringComparison.Ordinal);
    }

    private static async Task<string> ReceiveAsync(Socket socket, string expected, DaemonProcess daemon)
    {
        var buffer = new byte[4096];
        var received = new StringBuilder();
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        while (!received.ToString().Contains(expected, StringComparison.Ordinal))
        {
            try
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                received.Append(Encoding.ASCII.GetString(buffer, 0, n)).Append('\n');
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {expected} from the daemon; got '{received}'. stderr: {daemon.StandardError}");
            }
        }

        return received.ToString();
    }
}
