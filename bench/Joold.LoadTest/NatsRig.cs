using System.Globalization;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Both daemons, in a network namespace of the rig's own (fixed ports), as <c>joold run cfg.json</c> with JoolNetlink + Nats + StatsUdp, each pointed at
/// its own fake kernel, syncing through one local <c>nats-server -js</c> (a temporary store, removed at the end).
/// Daemon A publishes kernel A's batches to the stream; daemon B consumes them and adds them to kernel B. The
/// server's own CPU time is not in the daemons' figures: it is printed when the rig stops.
/// </summary>
internal sealed class NatsRig : RigBase
{
    private const int ServerPort = 4222;

    private DaemonProcess? _server;

    private NatsRig(TestNetwork network)
        : base(network, "joold-load-nats-")
    {
    }

    public override string Description => "NATS JetStream, one nats-server on 127.0.0.1, file storage (joold run cfg.json)";

    public static async Task<NatsRig> StartAsync(LoadOptions options) =>
        await StartOrDisposeAsync(new NatsRig(await TestNetwork.CreateAsync(nodes: 1).ConfigureAwait(false)), options).ConfigureAwait(false);

    /// <summary>Prints the server's CPU time, stops the server, then ends the rig as every rig ends.</summary>
    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (_server is { HasExited: false } server && KernelA is not null)
            {
                // Every batch kernel A sent, warm-up included.
                long batches = (await KernelA.GetStatsAsync().ConfigureAwait(false)).PktSent;
                var cpu = CpuSample.Read(server.Id);
                Console.Error.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"nats-server CPU over the whole run (warm-up included, {batches} batches): {cpu.Microseconds / 1e6:0.00} s, {cpu.Microseconds / Math.Max(1, batches):0} µs per batch ({cpu.UserMicroseconds / Math.Max(1, batches):0} user + {cpu.SystemMicroseconds / Math.Max(1, batches):0} system)"));
            }

            if (_server is not null)
            {
                await _server.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override async Task BringUpAsync(LoadOptions options)
    {
        await StartKernelsAsync().ConfigureAwait(false);
        _server = DaemonProcess.Start(
            "nats-server",
            ["-a", "127.0.0.1", "-p", ServerPort.ToString(CultureInfo.InvariantCulture), "-js", "-sd", Path.Combine(DirectoryA.Path, "store")],
            DirectoryA.Path,
            networkNamespace: NodeA.Name);
        await WaitForAsync("nats-server", _server, "Server is ready").ConfigureAwait(false);
        WriteRunConfigs(Nats("a"), Nats("b"));

        // A first: it creates the stream, so B does not race it.
        DaemonA = StartRunA(options);
        await RigSupport.WaitForStartAsync(DaemonA).ConfigureAwait(false);
        DaemonB = StartRunB(options);
        await RigSupport.WaitForStartAsync(DaemonB).ConfigureAwait(false);
    }

    private static async Task WaitForAsync(string name, DaemonProcess process, string text)
    {
        try
        {
            await process.WaitForOutputAsync(text, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{name} could not start ({e.Message}); install it (Debian: apt-get install nats-server).", e);
        }
    }

    private static string Nats(string node) =>
        $$"""
        "Nats": { "servers": ["nats://127.0.0.1:{{ServerPort}}"], "node": "{{node}}", "instance": "load" }
        """;
}
