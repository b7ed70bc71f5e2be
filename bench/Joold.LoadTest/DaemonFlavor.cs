using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// Which daemon a rig runs, and how: Joold (<c>dotnet joold.dll</c>) or C joold (the <c>--reference</c> binary, with
/// the netlink redirect shim preloaded). Both take the same netsocket.json, modsocket.json and stats port, and are
/// pointed at the same fake kernels.
/// </summary>
internal sealed class DaemonFlavor
{
    /// <summary>C joold's last start-up line (through the shim's syslog copy): netlink resolved, group joined, UDP and stats sockets bound.</summary>
    public const string CJooldReady = "Statsocket ready.";

    private readonly string? _binary;
    private readonly string? _shim;

    private DaemonFlavor(string name, string? binary, string? shim)
    {
        Name = name;
        _binary = binary;
        _shim = shim;
    }

    public static DaemonFlavor Joold { get; } = new("Joold", null, null);

    /// <summary>"Joold" or "C joold".</summary>
    public string Name { get; }

    public bool IsReference => _binary is not null;

    /// <summary>
    /// The line that says the daemon is ready: every socket open, the netlink family resolved and its group joined
    /// (Joold: the relay started, after every component's start).
    /// </summary>
    public string ReadyLine => IsReference ? CJooldReady : JooldLog.RelayStarted;

    /// <summary>C joold at <paramref name="binary"/>, with the shim library at <paramref name="shim"/>.</summary>
    public static DaemonFlavor Reference(string binary, string shim) => new("C joold", binary, shim);

    /// <summary>Starts the daemon in <paramref name="node"/>, its fake kernel at <paramref name="kernelPort"/>.</summary>
    public NamespaceProcess Start(TestNetwork network, TestNode node, string directory, LoadOptions options, uint kernelPort, IReadOnlyList<string> arguments)
    {
        if (_binary is null)
        {
            return RigSupport.StartDaemon(network, node, directory, options, arguments);
        }

        var environment = new Dictionary<string, string?>
        {
            ["LD_PRELOAD"] = _shim,
            ["JOOLD_SHIM_NETLINK_PEER"] = kernelPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return network.StartProcess(node, _binary, arguments, environment, directory);
    }
}
