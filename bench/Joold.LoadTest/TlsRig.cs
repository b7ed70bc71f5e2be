using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Both daemons as <c>joold run joold.json</c> with JoolNetlink + Tls (127.0.0.1, TLS 1.3, mutual authentication
/// with certificates made at run time) + StatsUdp, in a network namespace of the rig's own, as the Unicast rig:
/// daemon A dials daemon B, and every batch is framed, encrypted, acknowledged and released.
/// </summary>
internal sealed class TlsRig : RigBase
{
    private const int ListenPortA = 7443;
    private const int ListenPortB = 7444;

    private TlsRig(TestNetwork network)
        : base(network, "joold-load-tls-")
    {
    }

    public override string Description => "TLS 1.3 over TCP on 127.0.0.1 in a namespace of its own (joold run joold.json)";

    public static async Task<TlsRig> StartAsync(LoadOptions options) =>
        await StartOrDisposeAsync(new TlsRig(await TestNetwork.CreateAsync(nodes: 1).ConfigureAwait(false)), options).ConfigureAwait(false);

    protected override async Task BringUpAsync(LoadOptions options)
    {
        // One node, so one folder for both daemons' keys and certificates.
        RigCertificates.Write(DirectoryA.Path, "a", "b");
        await StartKernelsAsync().ConfigureAwait(false);
        WriteRunConfigs(Tls("a", ListenPortA, $"\"127.0.0.1:{ListenPortB}\""), Tls("b", ListenPortB, ""));
        DaemonA = StartRunA(options);
        DaemonB = StartRunB(options);
        await RigSupport.WaitForStartAsync(DaemonA, DaemonB).ConfigureAwait(false);
        await DaemonA.WaitForOutputAsync($"Tls peer 127.0.0.1:{ListenPortB} connected", RigSupport.StartTimeout).ConfigureAwait(false);
    }

    private static string Tls(string node, int listen, string peers) =>
        $$"""
        "Tls": { "listen": "127.0.0.1:{{listen}}", "peers": [{{peers}}], "certificate": "{{node}}.pem", "key": "{{node}}.key", "ca": "ca.pem" }
        """;
}
