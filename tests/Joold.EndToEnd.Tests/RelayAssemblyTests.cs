using Joold.EndToEnd.Tests.Support;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.EndToEnd.Tests;

/// <summary>
/// A relaying daemon maps only what a relay needs: none of the framework's XML, HTTP, QUIC, TLS, cryptography,
/// regular expression, expression-tree, IL-emit, metadata-reader or compression assemblies, which cost memory
/// (hundreds of KiB each) and start-up time, and no plugin it was not configured with. Read from /proc/PID/maps of
/// both daemons after a batch went through, so what the relay path loads late counts too.
/// </summary>
public class RelayAssemblyTests
{
    /// <summary>Assemblies no relaying daemon (JoolNetlink + Unicast + StatsUdp) may load.</summary>
    public static readonly string[] DenyList =
    [
        "System.Private.Xml", "System.Private.Xml.Linq", "System.Xml.XDocument",
        "System.Net.Http", "System.Net.Quic", "System.Net.Security", "System.Security.Cryptography",
        "System.Text.RegularExpressions", "System.Linq.Expressions", "System.Reflection.Emit",
        "System.Reflection.Metadata", "System.Collections.Immutable", "System.IO.Compression",
        "System.ComponentModel.TypeConverter", "System.Diagnostics.Process",
        "Microsoft.Extensions.Configuration.Binder",

        // Plugins the configuration does not name are never opened.
        "Tls", "Nats", "Prometheus", "Multicast", "NATS.Client.Core", "Prometheus.NetStandard",
    ];

    [Fact]
    public Task A_relaying_daemon_maps_none_of_the_denied_assemblies() =>
        EndToEndNetwork.RunAsync(nodes: 1, async net =>
        {
            var (a, b, _) = await UnicastPair.StartAsync(net, "e2e-asm");

            var sent = SessionContainer.ReadAll(await a.Kernel.InjectRandomAsync(36, seed: 8));
            await Eventually.ValueAsync(() => b.Kernel.GetDatabaseAsync(), d => d.Count >= sent.Count, "the sessions in kernel B's DB");
            await a.QueryStatsAsync();
            await b.QueryStatsAsync();

            foreach (var daemon in new[] { a, b })
            {
                var mapped = MappedAssemblies(daemon.Daemon!.Id);
                // The reading works: what every relay loads is there.
                Assert.Contains("System.Private.CoreLib", mapped);
                Assert.Contains("Joold.Core", mapped);
                Assert.Contains("Unicast", mapped);
                Assert.Empty(DenyList.Intersect(mapped, StringComparer.Ordinal));
            }
        });

    /// <summary>The names of the .dll files mapped into process <paramref name="pid"/>.</summary>
    public static HashSet<string> MappedAssemblies(int pid) =>
        File.ReadLines($"/proc/{pid}/maps")
            .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 6 && fields[5].EndsWith(".dll", StringComparison.Ordinal))
            .Select(fields => Path.GetFileNameWithoutExtension(fields[5].Trim()))
            .ToHashSet(StringComparer.Ordinal);
}
