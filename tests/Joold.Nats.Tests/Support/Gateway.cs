using System.Globalization;
using System.Text.Json;
using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.Nats.Tests.Support;

/// <summary>
/// One NAT64 gateway as an operator runs it: a fake Jool kernel process and, once started, a
/// <c>joold run gateway.json</c> process (JoolNetlink pointed at the fake, Nats pointed at the servers). The daemon
/// can be killed and started again; the kernel and the configuration stay. Everything is killed on dispose.
/// </summary>
internal sealed class Gateway : IAsyncDisposable
{
    /// <summary>What the daemon logs once every component started and the relay runs.</summary>
    public const string RelayStarted = "Relay started";

    private readonly TempDirectory _directory = new("joold-nats-gw-");
    private readonly List<int> _processIds = [];

    private Gateway(string node, FakeKernelProcess kernel)
    {
        Node = node;
        Kernel = kernel;
        _processIds.Add(kernel.ProcessId);
    }

    public string Node { get; }

    public FakeKernelProcess Kernel { get; }

    /// <summary>The running (or last) daemon.</summary>
    public DaemonProcess? Daemon { get; private set; }

    public string ConfigPath { get; private set; } = "";

    /// <summary>Every process this gateway started, to check none outlives the test.</summary>
    public IReadOnlyList<int> ProcessIds => _processIds;

    /// <summary>
    /// Starts the fake kernel (Jool instance named after the node) and writes the daemon's configuration: gateway
    /// <paramref name="node"/> of group <paramref name="group"/> on <paramref name="cluster"/>.
    /// </summary>
    public static async Task<Gateway> CreateAsync(NatsCluster cluster, string node, string group, int replicas = 1, int? buffer = null)
    {
        var kernel = await FakeKernelProcess.StartAsync(instance: $"jool-{node}");
        var gateway = new Gateway(node, kernel);
        try
        {
            string bufferKey = buffer is { } size ? $", \"buffer\": {size.ToString(CultureInfo.InvariantCulture)}" : "";
            gateway.ConfigPath = gateway._directory.File("gateway.json", $$"""
                {
                  "JoolNetlink": { "instance": "jool-{{node}}", "netlink peer": {{kernel.PortId}} },
                  "Nats": { "servers": {{cluster.UrlsJson}}, "node": "{{node}}", "instance": "{{group}}", "replicas": {{replicas}}{{bufferKey}} }
                }
                """);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>joold run gateway.json</c> and waits until its relay runs.</summary>
    public async Task StartDaemonAsync()
    {
        if (Daemon is { HasExited: false })
        {
            throw new InvalidOperationException($"The daemon of {Node} already runs.");
        }

        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        Daemon = DaemonProcess.StartJoold(["run", ConfigPath], _directory.Path);
        _processIds.Add(Daemon.Id);
        await Daemon.WaitForOutputAsync(RelayStarted, TimeSpan.FromSeconds(60));
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: no graceful stop.</summary>
    public async Task KillDaemonAsync()
    {
        var daemon = Daemon ?? throw new InvalidOperationException("No daemon started.");
        DaemonProcess.Signal(daemon.Id, Tmds.Linux.LibC.SIGKILL);
        await daemon.WaitForExitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>The kernel's database as the exact 36 bytes of each session, expiration zeroed, sorted.</summary>
    public async Task<IReadOnlyList<string>> GetDatabaseAsync()
    {
        var lines = await Kernel.CommandAsync("db");
        return lines.Where(l => l.StartsWith("session ", StringComparison.Ordinal))
            .Select(l =>
            {
                using var json = JsonDocument.Parse(l["session ".Length..]);
                return SessionBytes.WithoutExpiration(Convert.FromHexString(json.RootElement.GetProperty("hex").GetString()!));
            })
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Waits until the kernel's database holds at least <paramref name="count"/> sessions, and returns it.</summary>
    public Task<IReadOnlyList<string>> WaitForDatabaseAsync(int count, TimeSpan? timeout = null) =>
        Eventually.ValueAsync(GetDatabaseAsync, d => d.Count >= count, $"{count} sessions in {Node}'s kernel", timeout ?? TimeSpan.FromSeconds(60));

    public override string ToString() => Node;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Daemon is not null)
            {
                await Daemon.DisposeAsync();

                // Shown with a failing test's result: what the daemon said is usually why.
                TestContext.Current.TestOutputHelper?.WriteLine($"--- joold {Node} (last run) ---\n{Daemon.StandardError}");
            }
        }
        finally
        {
            await Kernel.DisposeAsync();
            _directory.Dispose();
        }
    }
}
