using System.Globalization;
using System.Net;
using Joold.FakeKernel;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.Tls.Tests.Support;

/// <summary>
/// One NAT64 gateway of a test network: a fake Jool kernel process and a <c>joold run gateway.json</c> daemon
/// (JoolNetlink + Tls), both in the node's namespace, with a certificate naming the node's LAN addresses and
/// "gwN.test". The daemon can be stopped, killed and started again, and the kernel replaced by a fresh one.
/// </summary>
internal sealed class Gateway : IAsyncDisposable
{
    public const int Port = 6443;

    private readonly TestNetwork _network;
    private readonly TempDirectory _directory = new("joold-tls-gw-");
    private readonly List<int> _processIds = [];

    private Gateway(TestNetwork network, TestNode node, NodeCertificate certificate, FakeKernelProcess kernel)
    {
        _network = network;
        Node = node;
        Certificate = certificate;
        Kernel = kernel;
        _processIds.Add(kernel.ProcessId);
    }

    public TestNode Node { get; }

    public NodeCertificate Certificate { get; }

    public FakeKernelProcess Kernel { get; private set; }

    public NamespaceProcess? Daemon { get; private set; }

    /// <summary>The peers' "host:port" entries and extra Tls keys; set before starting.</summary>
    public IReadOnlyList<string> Peers { get; set; } = [];

    /// <summary>Extra JSON members for the Tls section, such as "\"queue\": 100".</summary>
    public string ExtraTls { get; set; } = "";

    /// <summary>Every process this gateway started, to check none outlives the test.</summary>
    public IReadOnlyList<int> ProcessIds => _processIds;

    public string Directory => _directory.Path;

    public static async Task<Gateway> CreateAsync(TestNetwork network, TestNode node, TestPki pki)
    {
        var certificate = pki.Issue($"gw{node.Index + 1}", ips: [node.Ipv4, node.Ipv6], dns: [$"gw{node.Index + 1}.test"], loopbackNames: false);
        var kernel = await FakeKernelProcess.StartAsync(networkNamespace: node.Name);
        return new Gateway(network, node, certificate, kernel);
    }

    /// <summary>This gateway as a "peers" entry, by its IPv4 or IPv6 LAN address.</summary>
    public string Entry(bool ipv6) => ipv6 ? $"[{Node.Ipv6}]:{Port}" : $"{Node.Ipv4}:{Port}";

    /// <summary>Writes gateway.json and starts the daemon; waits until its relay runs.</summary>
    public async Task StartDaemonAsync(string logLevel = "Debug")
    {
        if (Daemon is { HasExited: false })
        {
            throw new InvalidOperationException($"The daemon of {Node.Name} already runs.");
        }

        string peers = string.Join(", ", Peers.Select(p => $"\"{p}\""));
        string extra = ExtraTls.Length > 0 ? ", " + ExtraTls : "";
        _directory.File("gateway.json", string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "JoolNetlink": { "instance": "default", "netlink peer": {{Kernel.PortId}} },
              "Tls": {
                "listen": "[::]:{{Port}}", "peers": [{{peers}}],
                "certificate": "{{Certificate.CertificateFile}}", "key": "{{Certificate.KeyFile}}", "ca": "{{Certificate.CaFile}}",
                "resync interval": 1{{extra}}
              }
            }
            """));
        Daemon = _network.StartProcess(
            Node,
            DotnetHost.Path,
            [DaemonProcess.JooldDll, "--log-level", logLevel, "run", "gateway.json"],
            environment: new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            workingDirectory: Directory);
        _processIds.Add(Daemon.Id);
        await Daemon.WaitForOutputAsync("Relay started");
    }

    /// <summary>SIGTERM: a graceful stop.</summary>
    public async Task StopDaemonAsync()
    {
        var daemon = Daemon ?? throw new InvalidOperationException("No daemon started.");
        DaemonProcess.Signal(daemon.Id, Tmds.Linux.LibC.SIGTERM);
        Assert.Equal(0, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would end it.</summary>
    public Task KillDaemonAsync() => (Daemon ?? throw new InvalidOperationException("No daemon started.")).KillAsync();

    /// <summary>A fresh kernel with an empty database, as after a reboot; the next daemon is pointed at it.</summary>
    public async Task ReplaceKernelAsync()
    {
        await Kernel.DisposeAsync();
        Kernel = await FakeKernelProcess.StartAsync(networkNamespace: Node.Name);
        _processIds.Add(Kernel.ProcessId);
    }

    /// <summary>What the daemon logged so far (stderr).</summary>
    public string Log => Daemon?.StandardError ?? "";

    /// <summary>The kernel's database as raw 36-byte sessions (the fake's "hex"), expiration zeroed.</summary>
    public async Task<IReadOnlyList<string>> SessionsAsync()
    {
        var lines = await Kernel.CommandAsync("db");
        return lines.Where(l => l.StartsWith("session ", StringComparison.Ordinal))
            .Select(l =>
            {
                using var json = System.Text.Json.JsonDocument.Parse(l["session ".Length..]);
                byte[] raw = Convert.FromHexString(json.RootElement.GetProperty("hex").GetString()!);
                raw.AsSpan(24, 4).Clear();
                return Convert.ToHexString(raw);
            })
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public override string ToString() => $"gw{Node.Index + 1} ({Node.Name}, {Node.Ipv4})";

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

    public static IPAddress Lan(TestNode node, bool ipv6) => ipv6 ? node.Ipv6 : node.Ipv4;
}
