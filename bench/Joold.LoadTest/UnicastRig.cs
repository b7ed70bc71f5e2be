using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Both daemons as <c>joold run joold.json</c> with JoolNetlink + Unicast (127.0.0.1) + StatsUdp, each pointed at its
/// own fake kernel process, all in one network namespace of the rig's own: its loopback is as fast as the host's,
/// and its ports are the rig's alone, so fixed ones cannot be taken by another process before a daemon binds them.
/// </summary>
internal sealed class UnicastRig : RigBase
{
    private const int ListenPortA = 7001;
    private const int ListenPortB = 7002;

    private UnicastRig(TestNetwork network)
        : base(network, "joold-load-")
    {
    }

    public override string Description => "unicast UDP on 127.0.0.1 in a namespace of its own (joold run joold.json)";

    public static async Task<UnicastRig> StartAsync(LoadOptions options) =>
        await StartOrDisposeAsync(new UnicastRig(await TestNetwork.CreateAsync(nodes: 1).ConfigureAwait(false)), options).ConfigureAwait(false);

    protected override async Task BringUpAsync(LoadOptions options)
    {
        await StartKernelsAsync().ConfigureAwait(false);
        WriteRunConfigs(Unicast(ListenPortA, ListenPortB, options.UnicastReceiveBuffer), Unicast(ListenPortB, ListenPortA, options.UnicastReceiveBuffer));
        await StartTimedAsync(() => StartRunA(options), () => StartRunB(options), JooldLog.RelayStarted).ConfigureAwait(false);
    }

    private static string Unicast(int listen, int peer, int? receiveBuffer) =>
        $$"""
        "Unicast": { "listen": "127.0.0.1:{{listen}}", "peers": ["127.0.0.1:{{peer}}"]{{(receiveBuffer is int size ? $", \"receive buffer\": {size}" : "")}} }
        """;
}
