using System.Net;

namespace Joold.Testing.Namespaces;

/// <summary>
/// A throw-away network of Linux network namespaces: N nodes on one shared LAN (a bridge without multicast
/// snooping, in a namespace of its own), plus point-to-point links added with <see cref="ConnectAsync"/>. Nothing
/// is created in the caller's namespace: every veth is made directly inside the namespaces. Disposing it kills
/// the processes it started and deletes every namespace (which deletes the links), also after a failed test.
/// Needs root.
/// </summary>
/// <example>
/// <code>
/// await using var net = await TestNetwork.CreateAsync(nodes: 3);
/// var daemon = net.StartProcess(net.Nodes[0], "joold", "netsocket.json", "modsocket.json");
/// await daemon.WaitForOutputAsync("ready");
/// </code>
/// </example>
public sealed class TestNetwork : IAsyncDisposable
{
    /// <summary>The IPv4 network of the shared LAN; node i gets .(i + 1).</summary>
    public const string LanIpv4Prefix = "198.51.100.";

    /// <summary>The IPv6 network of the shared LAN; node i gets ::(i + 1).</summary>
    public const string LanIpv6Prefix = "2001:db8:64::";

    /// <summary>The route each node has on its primary interface, because IPv4 multicast needs one to pick an interface.</summary>
    public const string Ipv4MulticastRoute = "224.0.0.0/4";

    /// <summary>`ip netns add` makes /var/run/netns a shared mount the first time; concurrent first calls can race.</summary>
    private static readonly SemaphoreSlim NamespaceCreation = new(1, 1);

    /// <summary>Once per process, before its first network: clear what crashed earlier runs left.</summary>
    private static readonly Lazy<Task> StaleCleanup = new(RemoveStaleAsync);

    private readonly List<string> _namespaces = [];
    private readonly List<TestNode> _nodes = [];
    private readonly List<TestLink> _links = [];
    private readonly List<NamespaceProcess> _processes = [];
    private readonly Lock _lock = new();
    private int _disposed;

    private TestNetwork(string switchNamespace, string bridge)
    {
        SwitchNamespace = switchNamespace;
        Bridge = bridge;
    }

    /// <summary>The nodes, in creation order.</summary>
    public IReadOnlyList<TestNode> Nodes => _nodes;

    /// <summary>The point-to-point links added so far.</summary>
    public IReadOnlyList<TestLink> Links
    {
        get
        {
            lock (_lock)
            {
                return [.. _links];
            }
        }
    }

    /// <summary>The namespace that holds the LAN's bridge.</summary>
    public string SwitchNamespace { get; }

    /// <summary>The LAN's bridge (inside <see cref="SwitchNamespace"/>).</summary>
    public string Bridge { get; }

    /// <summary>Every namespace this network made (nodes and switch), for leftover checks.</summary>
    public IReadOnlyList<string> NamespaceNames
    {
        get
        {
            lock (_lock)
            {
                return [.. _namespaces];
            }
        }
    }

    /// <summary>Creates the namespaces, the LAN and its addresses, and waits until IPv6 is usable everywhere.</summary>
    public static async Task<TestNetwork> CreateAsync(int nodes = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nodes, 200);
        await StaleCleanup.Value;
        var network = new TestNetwork(TestNames.Next('s'), TestNames.Next('b'));
        try
        {
            await network.AddNamespaceAsync(network.SwitchNamespace, bridge: true);
            await Command.IpBatchAsync(network.SwitchNamespace, [
                "link set lo up",
                $"link add name {network.Bridge} type bridge mcast_snooping 0 stp_state 0",
                $"link set {network.Bridge} up",
            ]);

            for (int i = 0; i < nodes; i++)
            {
                await network.AddNodeAsync(i);
            }

            await TestNode.WaitUntilNamespaceReadyAsync(network.SwitchNamespace);
            foreach (var node in network._nodes)
            {
                await node.WaitUntilReadyAsync();
            }

            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Connects two nodes with their own veth link: 203.0.113.(4k+1, 4k+2)/30 and 2001:db8:65:k::(1, 2)/64 for
    /// the k-th link. No multicast route points at it: select it with IP_MULTICAST_IF / IPV6_MULTICAST_IF.
    /// </summary>
    public async Task<TestLink> ConnectAsync(TestNode a, TestNode b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int k;
        lock (_lock)
        {
            k = _links.Count;
        }

        if (k >= 64)
        {
            throw new InvalidOperationException("At most 64 links fit in 203.0.113.0/24.");
        }

        var endA = new TestInterface(TestNames.Next('v'), IPAddress.Parse($"203.0.113.{(4 * k) + 1}"), 30, IPAddress.Parse($"2001:db8:65:{k:x}::1"), 64);
        var endB = new TestInterface(TestNames.Next('v'), IPAddress.Parse($"203.0.113.{(4 * k) + 2}"), 30, IPAddress.Parse($"2001:db8:65:{k:x}::2"), 64);
        await Command.RunCheckedAsync("ip", "link", "add", endA.Name, "netns", a.Name, "type", "veth", "peer", "name", endB.Name, "netns", b.Name);
        var link = new TestLink(a, endA, b, endB);
        lock (_lock)
        {
            _links.Add(link);
        }

        await ConfigureInterfaceAsync(a, endA, multicastRoute: false);
        await ConfigureInterfaceAsync(b, endB, multicastRoute: false);
        a.AddInterface(endA);
        b.AddInterface(endB);
        await a.WaitUntilReadyAsync();
        await b.WaitUntilReadyAsync();
        return link;
    }

    /// <summary>
    /// Deletes the node's LAN interface and creates it again with the same name, addresses and route, as a driver
    /// reload or a re-created VLAN would: the kernel gives it a new index, which sockets that named the old one
    /// must notice.
    /// </summary>
    public async Task ReplugAsync(TestNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        await node.IpAsync("link", "delete", "dev", node.Interface);
        await PlugAsync(node.Name, node.Interface, node.SwitchPort);
        await ConfigureInterfaceAsync(node, node.Primary, multicastRoute: true);
        await TestNode.WaitUntilNamespaceReadyAsync(SwitchNamespace);
        await node.WaitUntilReadyAsync();
    }

    /// <summary>Starts a process inside <paramref name="node"/>; it is killed when the network is disposed.</summary>
    public NamespaceProcess StartProcess(TestNode node, string fileName, params string[] arguments) =>
        StartProcess(node, fileName, arguments, environment: null);

    /// <summary>Starts a process inside <paramref name="node"/> with extra environment variables and a working directory.</summary>
    public NamespaceProcess StartProcess(
        TestNode node,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var process = new NamespaceProcess(node, fileName, arguments, environment, workingDirectory);
        lock (_lock)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>What of this network still exists: namespaces (by name) and processes still running.</summary>
    public async Task<IReadOnlyList<string>> FindLeftoversAsync()
    {
        var existing = await ListNamespacesAsync();
        var left = NamespaceNames.Where(existing.Contains).Select(n => $"namespace {n}").ToList();
        lock (_lock)
        {
            left.AddRange(_processes.Where(p => !p.HasExited).Select(p => $"process {p.Id} ({p.CommandLine})"));
        }

        return left;
    }

    /// <summary>
    /// Namespaces and links (in the caller's namespace, where this fixture never creates any) whose names say
    /// process <paramref name="processId"/> (default: this one) made them.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindProcessLeftoversAsync(int? processId = null)
    {
        string prefix = TestNames.PrefixOf(processId ?? Environment.ProcessId);
        var left = (await ListNamespacesAsync()).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Select(n => $"namespace {n}").ToList();
        var links = await Command.RunCheckedAsync("ip", "-o", "link", "show");
        foreach (string line in links.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "7: name@peer: <FLAGS> ..."
            string[] fields = line.Split(':', 3);
            string name = fields.Length > 1 ? fields[1].Trim().Split('@')[0] : "";
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                left.Add($"link {name}");
            }
        }

        return left;
    }

    /// <summary>Deletes namespaces left by test processes that no longer run (after a crash or a kill -9).</summary>
    public static async Task<IReadOnlyList<string>> RemoveStaleAsync()
    {
        var removed = new List<string>();
        foreach (string name in await ListNamespacesAsync())
        {
            if (TestNames.OwnerOf(name) is not null && !TestNames.IsOwnerAlive(name) && IsMounted(name))
            {
                if ((await Command.RunAsync("ip", ["netns", "delete", name])).Succeeded)
                {
                    removed.Add(name);
                }
            }
        }

        return removed;
    }

    /// <summary>
    /// Whether the namespace is bind-mounted on its file in /run/netns. `ip netns add` creates the file first and
    /// mounts the namespace on it next: deleting the file in between (another test process's cleanup, which may
    /// see a name it takes for stale) makes that `ip netns add` fail, so a file without its mount is left alone.
    /// </summary>
    private static bool IsMounted(string name)
    {
        string[] mountPoints = [$" /run/netns/{name} ", $" /var/run/netns/{name} "];
        return File.ReadLines("/proc/self/mountinfo").Any(line => mountPoints.Any(m => line.Contains(m, StringComparison.Ordinal)));
    }

    /// <summary>The names `ip netns list` shows.</summary>
    public static async Task<HashSet<string>> ListNamespacesAsync()
    {
        var result = await Command.RunCheckedAsync("ip", "netns", "list");

        // Lines are "name" or "name (id: 3)".
        return result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Kills the processes, then deletes every namespace (links go with them). Sockets a test opened inside a
    /// namespace keep it alive, invisibly, until they are closed: dispose them first.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var problems = new List<string>();
        NamespaceProcess[] processes;
        lock (_lock)
        {
            processes = [.. _processes];
        }

        foreach (var process in processes)
        {
            try
            {
                await process.DisposeAsync();
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                problems.Add($"process {process.Id}: {e.Message}");
            }
        }

        foreach (string name in NamespaceNames.Reverse())
        {
            var result = await Command.RunAsync("ip", ["netns", "delete", name]);
            if (!result.Succeeded && (await ListNamespacesAsync()).Contains(name))
            {
                problems.Add($"namespace {name}: {result.StandardError.Trim()}");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"Test network cleanup left: {string.Join("; ", problems)}");
        }
    }

    private async Task AddNodeAsync(int index)
    {
        string name = TestNames.Next('n');
        await AddNamespaceAsync(name, bridge: false);
        var primary = new TestInterface(
            TestNames.Next('v'),
            IPAddress.Parse($"{LanIpv4Prefix}{index + 1}"),
            24,
            IPAddress.Parse($"{LanIpv6Prefix}{index + 1:x}"),
            64);
        string switchPort = TestNames.Next('p');
        await PlugAsync(name, primary.Name, switchPort);
        var node = new TestNode(this, index, name, primary, switchPort);
        _nodes.Add(node);
        await ConfigureInterfaceAsync(node, primary, multicastRoute: true);
    }

    private async Task PlugAsync(string nodeNamespace, string nodeInterface, string switchPort)
    {
        await Command.RunCheckedAsync("ip", "link", "add", nodeInterface, "netns", nodeNamespace, "type", "veth", "peer", "name", switchPort, "netns", SwitchNamespace);
        await Command.IpBatchAsync(SwitchNamespace, [$"link set {switchPort} master {Bridge}", $"link set {switchPort} up"]);
    }

    private static Task ConfigureInterfaceAsync(TestNode node, TestInterface added, bool multicastRoute)
    {
        var lines = new List<string>
        {
            $"addr add {added.Ipv4}/{added.Ipv4PrefixLength} dev {added.Name}",
            $"addr add {added.Ipv6}/{added.Ipv6PrefixLength} dev {added.Name} nodad",
            $"link set {added.Name} up",
        };
        if (multicastRoute)
        {
            // Without a default route, IPv4 multicast needs a route to pick an interface (IPv6 has ff00::/8).
            lines.Add($"route add {Ipv4MulticastRoute} dev {added.Name}");
        }

        return Command.IpBatchAsync(node.Name, lines);
    }

    private async Task AddNamespaceAsync(string name, bool bridge)
    {
        await NamespaceCreation.WaitAsync();
        try
        {
            await Command.RunCheckedAsync("ip", "netns", "add", name);
        }
        finally
        {
            NamespaceCreation.Release();
        }

        lock (_lock)
        {
            _namespaces.Add(name);
        }

        // Before any interface exists, so new ones inherit "default": no DAD wait, and addresses that survive a
        // link going down (tests take links down and up). The switch needs no IPv6 of its own.
        string[] settings = bridge
            ? ["net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]
            : ["net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
               "net.ipv6.conf.all.keep_addr_on_down=1", "net.ipv6.conf.default.keep_addr_on_down=1"];
        (await Command.RunAsync("ip", ["netns", "exec", name, "sysctl", "-q", "-w", .. settings])).EnsureSuccess();
        if (!bridge)
        {
            await Command.RunCheckedAsync("ip", "-n", name, "link", "set", "lo", "up");
        }
    }
}
