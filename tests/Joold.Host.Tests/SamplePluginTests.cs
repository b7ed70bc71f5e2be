using System.Net.Sockets;
using System.Text.Json;
using Joold.FakeKernel;
using Joold.Host.Simulation;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>
/// The plugin author's path, as the README tells it: <c>samples/UnixSocket</c>, built with the README's command
/// against a published joold only, dropped into a plugins folder and run by that joold beside JoolNetlink (with a
/// fake kernel), relays batches both ways. So the sample and the README cannot drift from what compiles and works.
/// </summary>
[Collection(nameof(PublishedJooldCollection))]
public class SamplePluginTests(PublishedJoold published)
{
    private const string Instance = "sample-plugin";
    private static readonly string SampleDirectory = Path.Combine(TestPaths.RepositoryRoot, "samples", "UnixSocket");

    [Fact]
    public async Task The_sample_plugin_builds_against_the_published_joold_and_relays_batches_both_ways()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        string plugins = Path.Combine(dir.Path, "plugins");
        await BuildSampleAsync(Path.Combine(dir.Path, "src"), Path.Combine(plugins, "UnixSocket"));

        string listen = Path.Combine(dir.Path, "joold.sock");
        string peerPath = Path.Combine(dir.Path, "peer.sock");
        using var peer = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        peer.Bind(new UnixDomainSocketEndPoint(peerPath));
        await using var kernel = await FakeKernelProcess.StartAsync(instance: Instance, cancellationToken: ct);
        string config = dir.File("joold.json", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["JoolNetlink"] = new Dictionary<string, object> { ["instance"] = Instance, ["netlink peer"] = kernel.PortId },
            ["UnixSocket"] = new Dictionary<string, object> { ["listen"] = listen, ["peer"] = peerPath },
        }));

        await using var daemon = DaemonProcess.Start(published.Joold, ["run", config, "--plugins", plugins], dir.Path);
        await daemon.WaitForOutputAsync("Relay started");
        Assert.True(daemon.HasPrinted("UnixSocket"), $"the log does not name the plugin: {daemon.StandardError}");

        // Kernel to peer: what the kernel multicasts comes out of the plugin's socket, in order; only the time left
        // differs from what was injected, since the kernel counts it down before it multicasts.
        byte[] injected = await kernel.InjectRandomAsync(72, seed: 64, cancellationToken: ct);
        var forwarded = SessionContainer.ReadAll(await ReceiveAsync(peer, injected.Length));
        Assert.Equal(SessionContainer.ReadAll(injected).Select(WithoutExpiration), forwarded.Select(WithoutExpiration));

        // Peer to kernel: a datagram to the plugin's socket ends up in the kernel's session table.
        var generator = new SessionGenerator(7, 7);
        SessionEntry[] sent = [.. Enumerable.Range(0, 36).Select(_ => generator.Next())];
        await peer.SendToAsync(SessionContainer.Create(sent), SocketFlags.None, new UnixDomainSocketEndPoint(listen), ct);
        var database = await Eventually.ValueAsync(
            () => kernel.GetDatabaseAsync(ct),
            d => sent.All(s => d.Any(e => SameSession(e, s))),
            "the peer's sessions in the kernel's table");
        Assert.Equal(72 + 36, database.Count);

        Assert.Equal(0, await daemon.TerminateAsync());
        Assert.False(File.Exists(listen), "the plugin's dispose must remove its socket file");
    }

    [Fact]
    public void The_readme_quotes_the_sample_as_it_is()
    {
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        int start = readme.IndexOf("## Writing a plugin", StringComparison.Ordinal);
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = readme[start..end];
        string[] files = [.. Directory.GetFiles(SampleDirectory).Select(File.ReadAllText)];

        var quotes = section.Split("```").Where((_, i) => i % 2 == 1).ToArray();
        var code = quotes.Where(q => q.StartsWith("xml", StringComparison.Ordinal) || q.StartsWith("csharp", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(code);
        foreach (string quote in code)
        {
            string body = quote[(quote.IndexOf('\n', StringComparison.Ordinal) + 1)..];
            Assert.True(files.Any(f => f.Contains(body, StringComparison.Ordinal)), $"README's 'Writing a plugin' quotes what samples/UnixSocket does not have:\n{body}");
        }

        Assert.Contains("dotnet publish samples/UnixSocket -c Release -p:JooldDir=/opt/joold -o /opt/joold/plugins/UnixSocket", section, StringComparison.Ordinal);
    }

    /// <summary>
    /// Builds a copy of the sample, as a plugin author who copied it would, with the README's command; the copy
    /// keeps the source tree free of build output.
    /// </summary>
    private async Task BuildSampleAsync(string source, string output)
    {
        Directory.CreateDirectory(source);
        foreach (string file in Directory.GetFiles(SampleDirectory))
        {
            File.Copy(file, Path.Combine(source, Path.GetFileName(file)));
        }

        // The README's command with this test's folders: dotnet publish samples/UnixSocket -c Release -p:JooldDir=/opt/joold -o /opt/joold/plugins/UnixSocket
        await using var build = DaemonProcess.Start(DotnetHost.Path, ["publish", source, "-c", "Release", $"-p:JooldDir={published.Directory}", "-o", output, "-nologo"], source);
        await build.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(build.ExitCode == 0, $"dotnet publish of the sample failed: {build.StandardOutput} {build.StandardError}");
        Assert.True(File.Exists(Path.Combine(output, "UnixSocket.dll")), "the plugin must be <folder>/UnixSocket/UnixSocket.dll");
        Assert.False(File.Exists(Path.Combine(output, "Joold.Core.dll")), "the plugin must not carry its own Joold.Core");
    }

    /// <summary>Datagrams from the plugin until <paramref name="length"/> bytes came, concatenated.</summary>
    private static async Task<byte[]> ReceiveAsync(Socket socket, int length)
    {
        var received = new List<byte>();
        byte[] buffer = new byte[SessionContainer.MaxPayload];
        while (received.Count < length)
        {
            int n = await socket.ReceiveAsync(buffer, SocketFlags.None).WithTimeout("a datagram from the plugin");
            received.AddRange(buffer.AsSpan(0, n));
        }

        return [.. received];
    }

    /// <summary>Everything but the expiration, which the kernel counts down.</summary>
    private static SessionEntry WithoutExpiration(SessionEntry session) => session with { ExpirationMilliseconds = 0 };

    private static bool SameSession(SessionEntry a, SessionEntry b) => WithoutExpiration(a) == WithoutExpiration(b);
}
