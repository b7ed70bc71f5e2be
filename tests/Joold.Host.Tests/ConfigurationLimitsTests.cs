using System.Diagnostics;
using Joold.Configuration;
using Joold.Host.Configuration;
using Joold.Host.Hosting;
using Joold.Host.Simulation;
using Joold.Relay;
using Joold.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Tests;

/// <summary>What the daemon refuses to start from, each with one line on stderr and exit code 1.</summary>
public class ConfigurationLimitsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_on_dev_zero_is_one_line_not_an_out_of_memory_crash()
    {
        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["run", "/dev/zero"], timeout: Deadline);

        Assert.Equal(1, exitCode);
        Assert.Equal("joold: /dev/zero: is a character device, not a regular file; expected a JSON file.", OnlyLine(stderr));
    }

    [Fact]
    public async Task Run_on_a_fifo_is_refused_instead_of_blocking_forever()
    {
        using var dir = new TempDirectory();
        string fifo = Path.Combine(dir.Path, "joold.json");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["run", fifo], timeout: Deadline);

        Assert.Equal(1, exitCode);
        Assert.Equal($"joold: {fifo}: is a named pipe (FIFO), not a regular file; expected a JSON file.", OnlyLine(stderr));
    }

    [Fact]
    public async Task The_legacy_files_are_limited_too()
    {
        using var dir = new TempDirectory();
        dir.File("modsocket.json", """{"instance": "default"}""");
        using (var big = File.Create(Path.Combine(dir.Path, "netsocket.json")))
        {
            big.SetLength(3L << 30);
        }

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync([], dir.Path, Deadline);

        Assert.Equal(1, exitCode);
        Assert.Equal("joold: netsocket.json: the file is 3221225472 bytes; a configuration file may be at most 1048576 bytes (1 MiB).", OnlyLine(stderr));
    }

    [Theory]
    [InlineData("", "joold: netsocket.json: the file is empty; expected a JSON object.")]
    [InlineData("{\n  \"multicast address\": \"233.252.0.64\",\n  \"ttl\": ", "joold: netsocket.json: the JSON ends early at line 3; expected the rest of the object (a value, a closing quote, '}' or ']').")]
    public async Task An_empty_or_truncated_file_is_one_line_in_words(string netsocket, string expected)
    {
        using var dir = new TempDirectory();
        dir.File("modsocket.json", """{"instance": "default"}""");
        dir.File("netsocket.json", netsocket);

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync([], dir.Path, Deadline);

        Assert.Equal(1, exitCode);
        Assert.Equal(expected, OnlyLine(stderr));
    }

    [Fact]
    public async Task A_plugin_named_twice_at_the_top_of_a_run_file_is_refused()
    {
        using var dir = new TempDirectory();
        string config = dir.File("joold.json", """
            { "Unicast": { "listen": "127.0.0.1:0", "peers": ["127.0.0.1:9"] },
              "Unicast": { "listen": "127.0.0.1:0", "peers": ["127.0.0.1:10"] } }
            """);

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["run", config], dir.Path, Deadline);

        Assert.Equal(1, exitCode);
        Assert.Equal($"joold: {config}: the key 'Unicast' appears twice; keys are case-insensitive, give each once.", OnlyLine(stderr));
    }

    [Fact]
    public async Task A_configuration_that_configures_nothing_is_refused()
    {
        using var dir = new TempDirectory();
        string config = dir.File("joold.json", "{}");

        var (exitCode, _, stderr) = await DaemonProcess.RunJooldAsync(["run", config], dir.Path, Deadline);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"joold: {config}: nothing to relay: it sets up neither the kernel side (a JoolNetlink section) nor the peer side (a Multicast, Unicast, Tls or Nats section).",
            OnlyLine(stderr));
    }

    [Fact]
    public async Task A_peer_transport_alone_is_refused_before_it_opens_a_socket()
    {
        await using var app = JooldApplication.Build(Settings(services => services.AddSessionTransport(_ => new Endpoint("peer", SessionSide.Peer))));

        var error = await Assert.ThrowsAsync<JooldConfigException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("command line: nothing to relay: it sets up no kernel side; add a JoolNetlink section.", error.Message);
        Assert.False(app.Services.GetRequiredService<Endpoint>().Started);
    }

    [Fact]
    public async Task A_kernel_link_alone_is_refused()
    {
        await using var app = JooldApplication.Build(Settings(services => services.AddSessionTransport(_ => new Endpoint("kernel", SessionSide.Local))));

        var error = await Assert.ThrowsAsync<JooldConfigException>(() => app.RunAsync(TestContext.Current.CancellationToken));

        Assert.Equal("command line: nothing to relay: it sets up no peer side; add a Multicast, Unicast, Tls or Nats section.", error.Message);
    }

    [Fact]
    public async Task Sinks_without_a_source_on_the_other_side_are_refused()
    {
        var settings = Settings(services =>
        {
            services.AddSingleton<ISessionSink>(new Endpoint("kernel", SessionSide.Local));
            services.AddSingleton<ISessionSink>(new Endpoint("printer", SessionSide.Peer));
        });
        await using var app = JooldApplication.Build(settings);

        var error = await Assert.ThrowsAsync<JooldConfigException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("command line: nothing to relay: no source has a sink on the other side (sources: none; sinks: 'kernel', 'printer').", error.Message);
    }

    [Fact]
    public async Task Follows_shape_a_kernel_and_a_peer_sink_only_is_legitimate()
    {
        var kernel = new SimulatedKernel("k");
        var settings = Settings(services =>
        {
            services.AddSingleton<ISessionSource>(kernel);
            services.AddSingleton<ISessionSink>(kernel);
            services.AddSingleton<ISessionSink>(new Endpoint("printer", SessionSide.Peer));
        });
        await using var app = JooldApplication.Build(settings);

        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.StopAsync();
    }

    private static JooldSettings Settings(Action<IServiceCollection> services) => new()
    {
        LogLevel = LogLevel.None,
        UseDefaultPluginDirectory = false,
        ConfigureServices = services,
    };

    /// <summary>The one error line (the plugins loaded before the refusal log at Information).</summary>
    private static string OnlyLine(string stderr) => Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.Contains(" info: ", StringComparison.Ordinal));

    /// <summary>A source and sink that records whether it was started.</summary>
    private sealed class Endpoint(string name, SessionSide side) : ISessionSource, ISessionSink
    {
        public string Name => name;

        public SessionSide Side => side;

        public bool Started { get; private set; }

        public ValueTask StartAsync(CancellationToken cancellationToken)
        {
            Started = true;
            return ValueTask.CompletedTask;
        }

        public Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

        public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
