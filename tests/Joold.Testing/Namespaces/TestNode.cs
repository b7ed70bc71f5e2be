using System.Diagnostics;
using System.Net;

namespace Joold.Testing.Namespaces;

/// <summary>
/// One machine of a <see cref="TestNetwork"/>: a network namespace with loopback up, a primary interface on the
/// shared LAN, and any links added later. IPv6 DAD is off and addresses are kept while a link is down, so tests
/// can take links down and up.
/// </summary>
public sealed class TestNode
{
    private readonly TestNetwork _network;
    private readonly List<TestInterface> _interfaces = [];
    private readonly Lock _lock = new();

    internal TestNode(TestNetwork network, int index, string name, TestInterface primary, string switchPort)
    {
        _network = network;
        Index = index;
        Name = name;
        Primary = primary;
        SwitchPort = switchPort;
        _interfaces.Add(primary);
    }

    /// <summary>The other end of the primary interface: a port of the LAN's bridge.</summary>
    internal string SwitchPort { get; }

    /// <summary>Position in <see cref="TestNetwork.Nodes"/>.</summary>
    public int Index { get; }

    /// <summary>The network namespace's name (for `ip netns exec`, `ip -n`).</summary>
    public string Name { get; }

    /// <summary>The bind mount of the namespace, for setns(2).</summary>
    public string NamespacePath => $"/var/run/netns/{Name}";

    /// <summary>The interface on the shared LAN.</summary>
    public TestInterface Primary { get; }

    /// <summary>The name of the interface on the shared LAN.</summary>
    public string Interface => Primary.Name;

    /// <summary>The node's IPv4 address on the shared LAN (198.51.100.0/24).</summary>
    public IPAddress Ipv4 => Primary.Ipv4;

    /// <summary>The node's IPv6 address on the shared LAN (2001:db8:64::/64).</summary>
    public IPAddress Ipv6 => Primary.Ipv6;

    /// <summary>Every interface of the node except loopback: the primary first, then link ends in creation order.</summary>
    public IReadOnlyList<TestInterface> Interfaces
    {
        get
        {
            lock (_lock)
            {
                return [.. _interfaces];
            }
        }
    }

    /// <summary>Runs a command inside the namespace and returns its result, whatever the exit code.</summary>
    public Task<CommandResult> RunAsync(string fileName, params string[] arguments) =>
        Command.RunAsync("ip", ["netns", "exec", Name, fileName, .. arguments]);

    /// <summary>Runs a command inside the namespace; throws with its output if it fails.</summary>
    public async Task<CommandResult> ExecAsync(string fileName, params string[] arguments) =>
        (await RunAsync(fileName, arguments)).EnsureSuccess();

    /// <summary>`ip -n NAME ...`; throws if it fails.</summary>
    public Task<CommandResult> IpAsync(params string[] arguments) => Command.RunCheckedAsync("ip", ["-n", Name, .. arguments]);

    /// <summary>
    /// Takes an interface of this node down or up. Going down makes the kernel drop the IPv4 routes through it;
    /// up puts the primary interface's multicast route back (as a network manager would) and waits until the
    /// node can send again.
    /// </summary>
    public async Task SetLinkAsync(string interfaceName, bool up)
    {
        await IpAsync("link", "set", "dev", interfaceName, up ? "up" : "down");
        if (up)
        {
            if (interfaceName == Interface)
            {
                await IpAsync("route", "replace", TestNetwork.Ipv4MulticastRoute, "dev", interfaceName);
            }

            await WaitUntilReadyAsync();
        }
    }

    /// <summary>Starts a long-running process inside the namespace; the network kills it when disposed.</summary>
    public NamespaceProcess StartProcess(string fileName, params string[] arguments) =>
        _network.StartProcess(this, fileName, arguments);

    /// <summary>
    /// Polls until the node can send: no IPv6 address is tentative (`ip -6 addr show tentative` is empty) and
    /// every interface that is up is operationally up with its queue attached. Until the kernel's link watcher
    /// attaches the queue ("qdisc noop"), a send "succeeds" and the packet is silently dropped.
    /// </summary>
    public Task WaitUntilReadyAsync(TimeSpan? timeout = null) => WaitUntilNamespaceReadyAsync(Name, timeout);

    /// <summary>What <see cref="WaitUntilReadyAsync"/> checks, for any namespace.</summary>
    internal static async Task WaitUntilNamespaceReadyAsync(string namespaceName, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var clock = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            string? waitingFor = await NotReadyAsync(namespaceName);
            if (waitingFor is null)
            {
                return;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{namespaceName} not ready after {limit.TotalSeconds:0.#} s: {waitingFor}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    private static async Task<string?> NotReadyAsync(string namespaceName)
    {
        var tentative = await Command.RunCheckedAsync("ip", "-n", namespaceName, "-6", "addr", "show", "tentative");
        if (tentative.StandardOutput.Trim().Length > 0)
        {
            return $"tentative IPv6 addresses: {tentative.StandardOutput.Trim()}";
        }

        // "5: name@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode ..."
        var links = await Command.RunCheckedAsync("ip", "-n", namespaceName, "-o", "link", "show", "up");
        foreach (string line in links.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            bool loopback = line.Contains("LOOPBACK", StringComparison.Ordinal);
            if (!loopback && (!line.Contains(" state UP ", StringComparison.Ordinal) || line.Contains(" qdisc noop ", StringComparison.Ordinal)))
            {
                return $"link not ready: {line.Trim()}";
            }
        }

        return null;
    }

    internal void AddInterface(TestInterface added)
    {
        lock (_lock)
        {
            _interfaces.Add(added);
        }
    }

    public override string ToString() => $"{Name} ({Primary})";
}
