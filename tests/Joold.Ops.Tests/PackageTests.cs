using System.Globalization;
using Joold.FakeKernel;
using Joold.Ops.Tests.Support;
using Joold.Testing;

namespace Joold.Ops.Tests;

/// <summary>
/// packaging/deb/build.sh builds the package, lintian finds no error, and it installs on this machine with dpkg -i:
/// the daemon runs from /usr/sbin/joold as the packaged user with only CAP_NET_ADMIN, the unit verifies, and
/// dpkg --purge leaves nothing behind. (CI runs as root on a throw-away machine; so do developers here.)
/// </summary>
public class PackageTests
{
    private static readonly string[] InstalledPaths =
    [
        "/usr/lib/joold", "/usr/sbin/joold", "/lib/systemd/system/joold.service", "/usr/share/man/man8/joold.8.gz",
        "/usr/share/doc/joold", "/etc/joold",
    ];

    private static readonly string[] Plugins = ["JoolNetlink", "Multicast", "StatsUdp", "Unicast", "Prometheus"];

    [Fact]
    public async Task The_package_builds_installs_runs_verifies_and_purges_cleanly()
    {
        using var output = new TempDirectory("joold-deb-");
        var build = await Command.RunAsync("bash", [Path.Combine(OpsPaths.RepositoryRoot, "packaging", "deb", "build.sh"), output.Path], TimeSpan.FromMinutes(9));
        Assert.True(build.ExitCode == 0, build.ToString());
        string deb = build.StandardOutput.TrimEnd().Split('\n').Last().Trim();
        Assert.Equal(Path.Combine(output.Path, "joold_4.1.15-1_amd64.deb"), deb);

        await AssertLayoutAsync(deb);
        var lintian = await Command.RunAsync("lintian", ["--tag-display-limit", "0", "--fail-on", "error", deb], TimeSpan.FromMinutes(5));
        Assert.True(lintian.ExitCode == 0, lintian.ToString());
        Assert.DoesNotContain("E: ", lintian.StandardOutput, StringComparison.Ordinal);

        await PurgeAsync(); // a leftover of an earlier, interrupted run
        try
        {
            var install = await DpkgAsync("-i", deb);
            Assert.True(install.ExitCode == 0, install.ToString());

            var version = await Command.RunAsync("/usr/sbin/joold", ["--version"]);
            Assert.Equal(0, version.ExitCode);
            Assert.StartsWith("4.1.15", version.StandardOutput, StringComparison.Ordinal);

            var user = await Command.RunAsync("getent", ["passwd", "joold"]);
            Assert.Equal(0, user.ExitCode);
            Assert.EndsWith(":/nonexistent:/usr/sbin/nologin", user.StandardOutput.Trim(), StringComparison.Ordinal);

            var verify = await Command.RunAsync("systemd-analyze", ["verify", "/lib/systemd/system/joold.service"]);
            Assert.True(verify.ExitCode == 0 && !verify.StandardError.Contains("joold", StringComparison.Ordinal), verify.ToString());

            var man = await Command.RunAsync("man", ["-P", "cat", "joold"]);
            Assert.True(man.ExitCode == 0 && man.StandardOutput.Contains("joold stats", StringComparison.Ordinal), man.ToString());

            // The packaged /etc/joold/joold.json gives joold stats its defaults: [::1]:6401.
            var stats = await Command.RunAsync("/usr/sbin/joold", ["stats"]);
            Assert.Equal(1, stats.ExitCode);
            Assert.Contains("no answer from UDP [::1]:6401", stats.StandardError, StringComparison.Ordinal);

            await AssertRunsWithTheUnitsPrivilegesAsync();
        }
        finally
        {
            var purge = await PurgeAsync();
            Assert.True(purge.ExitCode == 0, purge.ToString());
        }

        Assert.All(InstalledPaths, p => Assert.False(Path.Exists(p), $"{p} is left after purge"));
        Assert.NotEqual(0, (await Command.RunAsync("getent", ["passwd", "joold"])).ExitCode);
        Assert.NotEqual(0, (await Command.RunAsync("getent", ["group", "joold"])).ExitCode);
        Assert.NotEqual(0, (await Command.RunAsync("dpkg-query", ["-W", "joold"])).ExitCode);
    }

    /// <summary>The installed daemon, as user joold with CAP_NET_ADMIN alone (as the unit runs it), against a fake kernel.</summary>
    private static async Task AssertRunsWithTheUnitsPrivilegesAsync()
    {
        using var directory = new TempDirectory();
        await using var kernel = await FakeKernelProcess.StartAsync(instance: "packaged");
        int[] udp = RacyLoopbackPorts.Pick(3);
        string config = directory.File("joold.json", string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "JoolNetlink": { "instance": "packaged", "netlink peer": {{kernel.PortId}} },
              "Unicast": { "listen": "127.0.0.1:{{udp[0]}}", "peers": ["127.0.0.1:{{udp[1]}}"] },
              "StatsUdp": { "address": "127.0.0.1", "port": "{{udp[2]}}" }
            }
            """));
        // Readable by the joold user, as /etc/joold/joold.json is.
        Assert.Equal(0, (await Command.RunAsync("chmod", ["go+rX", directory.Path, config])).ExitCode);
        await using var daemon = DaemonProcess.Start(
            "setpriv",
            [
                "--reuid=joold", "--regid=joold", "--clear-groups", "--no-new-privs",
                "--inh-caps=-all,+net_admin", "--ambient-caps=-all,+net_admin", "--bounding-set=-all,+net_admin",
                "/usr/sbin/joold", "run", config,
            ],
            "/");
        await daemon.WaitForOutputAsync("Relay started");
        Assert.True(daemon.HasPrinted("SO_RCVBUFFORCE"), daemon.StandardError); // CAP_NET_ADMIN is in effect

        await kernel.InjectRandomAsync(2, seed: 4);
        string stats = await Eventually.ValueAsync(() => UdpStats.QueryAsync(udp[2]), s => s.StartsWith("KERNEL_SENT_PKTS,", StringComparison.Ordinal) && !s.StartsWith("KERNEL_SENT_PKTS,0", StringComparison.Ordinal), "a kernel batch relayed");
        Assert.StartsWith("KERNEL_SENT_PKTS,", stats, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.TerminateAsync());
    }

    private static async Task AssertLayoutAsync(string deb)
    {
        var contents = await Command.RunAsync("dpkg-deb", ["-c", deb]);
        Assert.Equal(0, contents.ExitCode);
        string listing = contents.StandardOutput;
        Assert.Contains("./usr/sbin/joold -> ../lib/joold/joold", listing, StringComparison.Ordinal);
        foreach (string path in new[]
        {
            "./usr/lib/joold/joold", "./usr/lib/joold/libcoreclr.so", "./lib/systemd/system/joold.service",
            "./usr/share/man/man8/joold.8.gz", "./usr/share/doc/joold/examples/joold.json", "./usr/share/doc/joold/copyright",
            "./etc/joold/joold.json",
        })
        {
            Assert.Matches($"(?m) {System.Text.RegularExpressions.Regex.Escape(path)}$", listing);
        }

        // Every publish form gives the whole layout: here the self-contained linux-x64 one.
        foreach (string plugin in Plugins)
        {
            Assert.Contains($" ./usr/lib/joold/plugins/{plugin}/{plugin}.dll", listing, StringComparison.Ordinal);
            Assert.DoesNotContain($"./usr/lib/joold/plugins/{plugin}/Joold.Core.dll", listing, StringComparison.Ordinal);
        }

        Assert.Contains(" ./usr/lib/joold/plugins/Prometheus/Prometheus.NetStandard.dll", listing, StringComparison.Ordinal);

        // The daemon refuses a plugin others than root may change: every plugin file and folder is root's, not
        // writable by group or others.
        var pluginEntries = listing.Split('\n').Where(l => l.Contains(" ./usr/lib/joold/plugins/", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(pluginEntries);
        Assert.All(pluginEntries, l => Assert.Matches("^[-d]rw[-x]r-[-x]r-[-x] root/root ", l));
        var conffiles = await Command.RunAsync("dpkg-deb", ["--info", deb, "conffiles"]);
        Assert.Equal("/etc/joold/joold.json", conffiles.StandardOutput.Trim());
    }

    private static async Task<Command.Result> PurgeAsync() => await DpkgAsync("--purge", "joold");

    /// <summary>dpkg, waiting (within a deadline) while another package manager holds its lock.</summary>
    private static async Task<Command.Result> DpkgAsync(params string[] args)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var result = await Command.RunAsync("dpkg", args, TimeSpan.FromMinutes(3));
            if (result.ExitCode == 0 || !result.StandardError.Contains("lock", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}
