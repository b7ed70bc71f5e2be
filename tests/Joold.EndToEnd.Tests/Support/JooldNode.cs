using System.Globalization;
using System.Net;
using System.Text.Json;
using Joold.FakeKernel;
using Joold.Stats;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>
/// One NAT64 box of a test network: a fake Jool kernel process and, once started, a joold daemon process inside
/// the node's namespace, with its files (modsocket.json pointing at the fake, and netsocket.json when given) in a
/// folder of their own. The daemon runs in the legacy form (<c>joold netsocket.json modsocket.json PORT</c>) unless
/// other arguments are given; it can be killed and started again, the kernel stays.
/// </summary>
internal sealed class JooldNode : IAsyncDisposable
{
    private readonly TestNetwork _network;
    private readonly TempDirectory _directory = new();
    private readonly List<int> _processIds = [];
    private readonly string? _label;
    private IReadOnlyList<string> _daemonArguments;

    private JooldNode(TestNetwork network, TestNode node, FakeKernelProcess kernel, int statsPort, string? label)
    {
        _network = network;
        Node = node;
        Kernel = kernel;
        StatsPort = statsPort;
        _label = label;
        _daemonArguments = ["netsocket.json", "modsocket.json", statsPort.ToString(CultureInfo.InvariantCulture)];
        _processIds.Add(kernel.ProcessId);
    }

    public TestNode Node { get; }

    public FakeKernelProcess Kernel { get; }

    /// <summary>The running (or last) daemon.</summary>
    public NamespaceProcess? Daemon { get; private set; }

    /// <summary>Where the daemon's stats server listens on 127.0.0.1, in the node's namespace.</summary>
    public int StatsPort { get; }

    /// <summary>The folder holding the daemon's files, its working directory.</summary>
    public string Directory => _directory.Path;

    /// <summary>Every process this node started (kernel and daemons), to check none outlives the test.</summary>
    public IReadOnlyList<int> ProcessIds => _processIds;

    /// <summary>
    /// Starts the fake kernel in <paramref name="node"/> and writes the daemon's files: a modsocket.json naming
    /// <paramref name="instance"/> and pointing at the fake, and <paramref name="netsocketJson"/> as is when given.
    /// <paramref name="label"/> names the box in messages when several share a node.
    /// </summary>
    public static async Task<JooldNode> CreateAsync(
        TestNetwork network,
        TestNode node,
        string? netsocketJson,
        int statsPort = 6401,
        string instance = "default",
        IEnumerable<string>? kernelArguments = null,
        string? label = null)
    {
        var kernel = await FakeKernelProcess.StartAsync(instance: instance, networkNamespace: node.Name, arguments: kernelArguments);
        var created = new JooldNode(network, node, kernel, statsPort, label);
        try
        {
            if (netsocketJson is not null)
            {
                created.WriteFile("netsocket.json", netsocketJson);
            }

            created.WriteFile("modsocket.json", $$"""{ "instance": "{{instance}}", "netlink peer": {{kernel.PortId}} }""");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>Writes a file into the daemon's folder and returns its name (relative to the daemon's working directory).</summary>
    public string WriteFile(string name, string content)
    {
        _directory.File(name, content);
        return name;
    }

    /// <summary>
    /// Starts <c>joold ARGUMENTS</c> in the node (by default the legacy form, or the arguments of the last start)
    /// and waits until its relay runs.
    /// </summary>
    public async Task StartDaemonAsync(IReadOnlyList<string>? arguments = null)
    {
        if (Daemon is { HasExited: false })
        {
            throw new InvalidOperationException($"The daemon of {this} already runs.");
        }

        _daemonArguments = arguments ?? _daemonArguments;
        Daemon = _network.StartProcess(Node, DotnetHost.Path, [DaemonProcess.JooldDll, .. _daemonArguments], environment: null, workingDirectory: Directory);
        _processIds.Add(Daemon.Id);
        await WaitForLogAsync(JooldLog.RelayStarted);
    }

    /// <summary>Waits until the daemon's log (stderr) contains <paramref name="text"/>; fails at once if it exits.</summary>
    public Task WaitForLogAsync(string text) => RunningDaemon.WaitForOutputAsync(text);

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: no graceful stop.</summary>
    public Task KillDaemonAsync() => RunningDaemon.KillAsync();

    /// <summary>The daemon's counters, asked from inside the node (127.0.0.1, as `nc -u 127.0.0.1 PORT` would).</summary>
    public Task<StatsSnapshot> QueryStatsAsync() =>
        StatsClient.QueryOnceAsync(new IPEndPoint(IPAddress.Loopback, StatsPort), Node.NamespacePath);

    /// <summary>
    /// Waits until the stats server answers exactly <paramref name="expected"/> (all six counters at once: a
    /// batch's packets and bytes are counted one after the other, and KERNEL_SENT after the batch was queued for
    /// sending, so a wait on one counter says nothing about the others yet).
    /// </summary>
    public Task<StatsSnapshot> WaitForStatsAsync(StatsSnapshot expected, string what) =>
        Eventually.ValueAsync(QueryStatsAsync, s => s == expected, $"{what} on {this}: {JooldStatsText.Format(expected).ReplaceLineEndings(" ")}");

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

    /// <summary>Waits until the fake kernel has received exactly <paramref name="expected"/> JOOLD_ADD messages.</summary>
    public Task<int> WaitForAddsAsync(long expected) =>
        Eventually.ValueAsync(CountAddsAsync, n => n == expected, $"{expected} JOOLD_ADD messages at the kernel of {this}");

    public override string ToString() => _label ?? Node.ToString();

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

    private NamespaceProcess RunningDaemon => Daemon ?? throw new InvalidOperationException($"No daemon started on {this}.");
}
