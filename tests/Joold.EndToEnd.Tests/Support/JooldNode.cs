using System.Globalization;
using System.Net;
using System.Text.Json;
using Joold.FakeKernel;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>
/// One NAT64 box of a test network: a fake Jool kernel process and, once started, a joold daemon process in the
/// legacy form (<c>joold netsocket.json modsocket.json PORT</c>), both inside the node's namespace, with the two
/// files in a folder of their own. The daemon can be killed and started again; the kernel stays.
/// </summary>
internal sealed class JooldNode : IAsyncDisposable
{
    /// <summary>What the daemon logs once every component started and the relay runs.</summary>
    public const string RelayStarted = "Relay started";

    private readonly TestNetwork _network;
    private readonly TempDirectory _directory = new();
    private readonly List<int> _processIds = [];

    private JooldNode(TestNetwork network, TestNode node, FakeKernelProcess kernel, int statsPort)
    {
        _network = network;
        Node = node;
        Kernel = kernel;
        StatsPort = statsPort;
        _processIds.Add(kernel.ProcessId);
    }

    public TestNode Node { get; }

    public FakeKernelProcess Kernel { get; }

    /// <summary>The running (or last) daemon.</summary>
    public NamespaceProcess? Daemon { get; private set; }

    public int StatsPort { get; }

    /// <summary>The folder holding netsocket.json and modsocket.json, the daemon's working directory.</summary>
    public string Directory => _directory.Path;

    /// <summary>Every process this node started (kernel and daemons), to check none outlives the test.</summary>
    public IReadOnlyList<int> ProcessIds => _processIds;

    /// <summary>
    /// Starts the fake kernel in <paramref name="node"/> and writes the daemon's files: <paramref name="netsocketJson"/>
    /// as is, and a modsocket.json naming <paramref name="instance"/> and pointing at the fake.
    /// </summary>
    public static async Task<JooldNode> CreateAsync(
        TestNetwork network,
        TestNode node,
        string netsocketJson,
        int statsPort = 6401,
        string instance = "default",
        IEnumerable<string>? kernelArguments = null)
    {
        var kernel = await FakeKernelProcess.StartAsync(instance: instance, networkNamespace: node.Name, arguments: kernelArguments);
        var created = new JooldNode(network, node, kernel, statsPort);
        try
        {
            created._directory.File("netsocket.json", netsocketJson);
            created._directory.File("modsocket.json", $$"""{ "instance": "{{instance}}", "netlink peer": {{kernel.PortId}} }""");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>joold netsocket.json modsocket.json PORT</c> in the node and waits until its relay runs.</summary>
    public async Task StartDaemonAsync()
    {
        if (Daemon is { HasExited: false })
        {
            throw new InvalidOperationException($"The daemon of {Node.Name} already runs.");
        }

        Daemon = _network.StartProcess(
            Node,
            DotnetHost.Path,
            [DaemonProcess.JooldDll, "netsocket.json", "modsocket.json", StatsPort.ToString(CultureInfo.InvariantCulture)],
            environment: new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            workingDirectory: Directory);
        _processIds.Add(Daemon.Id);
        await WaitForLogAsync(RelayStarted);
    }

    /// <summary>Waits until the daemon's log (stderr) contains <paramref name="text"/>; fails at once if it exits.</summary>
    public Task WaitForLogAsync(string text) =>
        (Daemon ?? throw new InvalidOperationException("No daemon started.")).WaitForOutputAsync(text);

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: no graceful stop.</summary>
    public Task KillDaemonAsync() => (Daemon ?? throw new InvalidOperationException("No daemon started.")).KillAsync();

    /// <summary>The daemon's counters, asked from inside the node (127.0.0.1, as `nc -u 127.0.0.1 PORT` would).</summary>
    public Task<JooldStats> QueryStatsAsync() =>
        StatsClient.QueryAsync(new IPEndPoint(IPAddress.Loopback, StatsPort), Node.NamespacePath);

    /// <summary>The kernel's DB as the exact 36 bytes of each session (the "hex" field of the fake's db lines).</summary>
    public async Task<IReadOnlyList<byte[]>> GetDatabaseBytesAsync()
    {
        var lines = await Kernel.CommandAsync("db");
        return lines.Where(l => l.StartsWith("session ", StringComparison.Ordinal))
            .Select(l =>
            {
                using var json = JsonDocument.Parse(l["session ".Length..]);
                return Convert.FromHexString(json.RootElement.GetProperty("hex").GetString()!);
            })
            .ToList();
    }

    /// <summary>The JOOLD_ADD messages (genl cmd 27) the fake kernel received so far.</summary>
    public async Task<int> CountAddsAsync() =>
        (await Kernel.GetReceivedAsync()).Count(m => m.Type == Kernel.FamilyId && m.Command == 27);

    public override string ToString() => Node.ToString();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Daemon is not null)
            {
                await Daemon.DisposeAsync();
            }
        }
        finally
        {
            await Kernel.DisposeAsync();
            _directory.Dispose();
        }
    }
}
