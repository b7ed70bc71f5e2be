using System.Globalization;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Two network namespaces on one bridged LAN (<see cref="TestNetwork"/>), each with a fake kernel and a daemon
/// started as the original is (<c>joold netsocket.json modsocket.json PORT</c>), syncing over IPv4 or IPv6
/// multicast. The daemon is Joold or, with <c>--reference</c>, C joold (<see cref="DaemonFlavor"/>): the same files
/// suit both (C joold reads only "instance" from modsocket.json; the shim gives it the fake's port id).
/// </summary>
internal sealed class MulticastRig : RigBase
{
    private const string Group4 = "233.252.0.64";
    private const string Group6 = "ff08::db8:64:64";

    private readonly bool _ipv6;
    private readonly DaemonFlavor _flavor;

    private MulticastRig(TestNetwork network, bool ipv6, DaemonFlavor flavor)
        : base(network, "joold-load-")
    {
        _ipv6 = ipv6;
        _flavor = flavor;
    }

    public override string Description => $"{_flavor.Name}, IPv{(_ipv6 ? 6 : 4)} multicast {(_ipv6 ? Group6 : Group4)} across two namespaces (joold netsocket.json modsocket.json PORT)";

    public static async Task<MulticastRig> StartAsync(LoadOptions options, bool ipv6, DaemonFlavor flavor) =>
        await StartOrDisposeAsync(new MulticastRig(await TestNetwork.CreateAsync(nodes: 2).ConfigureAwait(false), ipv6, flavor), options).ConfigureAwait(false);

    protected override async Task BringUpAsync(LoadOptions options)
    {
        await StartKernelsAsync().ConfigureAwait(false);
        await StartTimedAsync(
            () => StartDaemon(NodeA, DirectoryA, "load-a", KernelA.PortId, StatsPortA, options),
            () => StartDaemon(NodeB, DirectoryB, "load-b", KernelB.PortId, StatsPortB, options),
            _flavor.ReadyLine).ConfigureAwait(false);
    }

    private NamespaceProcess StartDaemon(TestNode node, TempDirectory directory, string instance, uint kernelPort, int statsPort, LoadOptions options)
    {
        // IPv4 names the interface by its address, IPv6 by its name (as C joold reads them).
        string group = _ipv6 ? Group6 : Group4;
        string local = _ipv6 ? node.Interface : node.Ipv4.ToString();
        directory.File("netsocket.json", $$"""{ "multicast address": "{{group}}", "multicast port": "6464", "in interface": "{{local}}", "out interface": "{{local}}", "ttl": 1 }""");
        directory.File("modsocket.json", string.Create(CultureInfo.InvariantCulture, $$"""{ "instance": "{{instance}}", "netlink peer": {{kernelPort}} }"""));
        return _flavor.Start(Network, node, directory.Path, options, kernelPort, ["netsocket.json", "modsocket.json", statsPort.ToString(CultureInfo.InvariantCulture)]);
    }
}
