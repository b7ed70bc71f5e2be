using Joold.Ops.Tests.Support;

namespace Joold.Ops.Tests;

/// <summary>joold(8) is clean for mandoc's and groff's linters and renders with man -l.</summary>
public class ManPageTests
{
    private static string Page => Path.Combine(OpsPaths.RepositoryRoot, "packaging", "joold.8");

    [Fact]
    public async Task Mandoc_and_groff_find_nothing_to_say()
    {
        var mandoc = await Command.RunAsync("mandoc", ["-T", "lint", "-W", "all", Page]);
        Assert.True(mandoc.ExitCode == 0 && mandoc.StandardOutput.Length == 0 && mandoc.StandardError.Length == 0, mandoc.ToString());

        var groff = await Command.RunAsync("groff", ["-ww", "-man", "-z", Page]);
        Assert.True(groff.ExitCode == 0 && groff.StandardError.Length == 0, groff.ToString());
    }

    [Fact]
    public async Task Man_renders_every_section_and_command()
    {
        var man = await Command.RunAsync("env", ["MANWIDTH=80", "man", "-P", "cat", "-l", Page]);

        Assert.True(man.ExitCode == 0 && man.StandardError.Length == 0, man.ToString());
        foreach (string heading in new[] { "SYNOPSIS", "COMMANDS", "OPTIONS", "CONFIGURATION", "STATISTICS", "METRICS", "FILES", "SYSTEMD", "SIGNALS", "EXIT STATUS", "DIFFERENCES FROM C JOOLD", "EXAMPLES" })
        {
            Assert.Contains($"\n{heading}\n", man.StandardOutput, StringComparison.Ordinal);
        }

        foreach (string command in new[] { "joold proxy", "joold run", "joold stats", "joold follow", "joold advertise", "joold demo", "--netlink-peer", "joold_kernel_sent_packets_total" })
        {
            Assert.Contains(command, man.StandardOutput, StringComparison.Ordinal);
        }
    }
}
