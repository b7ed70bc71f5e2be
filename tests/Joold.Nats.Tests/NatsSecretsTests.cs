using System.Diagnostics;
using Joold.Configuration;
using Joold.Nats.Tests.Support;
using Joold.Plugins.Nats;
using Joold.Stats;
using Joold.Testing;

namespace Joold.Nats.Tests;

/// <summary>What the plugin does with secrets: a URL's password never reaches a log line, files are read bounded.</summary>
public sealed class NatsSecretsTests : IDisposable
{
    private const string Source = "/etc/joold/gateway.json";
    private const string Password = "pa55-w0rd-x";

    private readonly TempDirectory _files = new("joold-nats-secrets-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_server_URLs_password_is_hidden_in_every_log_line_and_error()
    {
        int port = TcpPorts.Reserve(1)[0];
        await using var server = new NatsServer("secret", port, null, [], $$"""authorization { user: "gw", password: "{{Password}}" }""");
        string url = $"nats://gw:{Password}@127.0.0.1:{port}";
        var settings = new NatsSettings { Servers = [url], Node = "a", Instance = "secret", Buffer = 8 };

        // No server at start, then one that answers, then a stop: the start, connection and disconnection lines.
        await using var a = await NatsNode.StartAsync(settings);
        await server.StartAsync();
        await Eventually.WaitAsync(() => a.Logger.WithId(705).Any(), "the gateway to connect", TimeSpan.FromSeconds(30));
        await server.StopAsync();
        await Eventually.WaitAsync(() => a.Logger.WithId(704).Any(), "the gateway to see the disconnection", TimeSpan.FromSeconds(30));

        Assert.Contains($"nats://***@127.0.0.1:{port}", Assert.Single(a.Logger.Messages(700)), StringComparison.Ordinal);
        Assert.Contains($"nats://***@127.0.0.1:{port}", Assert.Single(a.Logger.Messages(703)), StringComparison.Ordinal);
        Assert.All(a.Logger.Entries, e => Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal));

        // A start that fails names the servers too: once stream JOOLD holds every joold subject, another stream on
        // them is refused.
        await server.StartAsync();
        await (await NatsNode.StartAsync(settings with { Node = "b" })).DisposeAsync();
        var refused = settings with { Node = "c", Stream = "OTHER" };
        await using var c = new NatsTransport(refused, new JooldCounters(), new RecordingLogger<NatsTransport>());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => c.StartAsync(Token).AsTask());
        Assert.Contains("nats://***@127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateways_with_credentials_files_sync_through_a_server_that_requires_them()
    {
        using var authority = new NatsOperator();
        int port = TcpPorts.Reserve(1)[0];
        await using var server = new NatsServer("creds", port, null, [], authority.ServerConfig);
        await server.StartAsync();
        string json(string node, string creds) => $$"""{"servers": ["{{server.Url}}"], "node": "{{node}}", "instance": "creds", "credentials": "{{creds}}"}""";
        var settingsA = Read(json("a", _files.File("a.creds", authority.NewUserCredentials("a"))));
        var settingsB = Read(json("b", _files.File("b.creds", authority.NewUserCredentials("b"))));

        await using var a = await NatsNode.StartAsync(settingsA);
        await using var b = await NatsNode.StartAsync(settingsB);
        byte[][] batches = [TestSessions.Unique(1), TestSessions.Unique(2)];
        await a.PublishAsync(batches);

        await Eventually.WaitAsync(() => b.Kernel.Received.Count == batches.Length, "B's kernel to get A's batches", TimeSpan.FromSeconds(30));
        Assert.Equal(batches, b.Kernel.Received);
        Assert.Empty(a.Logger.WithId(703));

        // The same server refuses a gateway without credentials: they were what let A and B in.
        await using var stranger = await NatsNode.StartAsync(settingsA with { Node = "c", Credentials = null, CredentialsFile = null });
        Assert.Contains("uthorization", Assert.Single(stranger.Logger.Messages(703)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_error_about_a_server_hides_its_password()
    {
        var error = Assert.Throws<JooldConfigException>(() => Read($$"""{"servers": ["nats://gw:{{Password}}@10.0.0.1:4222", "nats://gw:{{Password}}@10.0.0.1:4222"], "node": "gw1"}"""));
        Assert.Contains("\"nats://***@10.0.0.1:4222\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);

        error = Assert.Throws<JooldConfigException>(() => Read($$"""{"servers": ["http://gw:{{Password}}@10.0.0.1:4222"], "node": "gw1"}"""));
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credentials_file_that_is_a_FIFO_is_refused_without_waiting_for_a_writer()
    {
        string fifo = Path.Combine(_files.Path, "nats.creds");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync(Token);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Before the fix, the client opened the FIFO at its first connection and waited for a writer forever.
        var error = await Assert.ThrowsAsync<JooldConfigException>(() => Task.Run(() => Read(WithCredentials(fifo)), Token).WaitAsync(TimeSpan.FromSeconds(30), Token));
        Assert.Equal($"{Source}: 'credentials' is \"{fifo}\" (a named pipe (FIFO), not a regular file); expected the path of a NATS credentials (.creds) file.", error.Message);
    }

    [Fact]
    public void A_credentials_file_that_is_a_device_or_over_1_MiB_is_refused()
    {
        var error = Assert.Throws<JooldConfigException>(() => Read(WithCredentials("/dev/zero")));
        Assert.Equal("credentials", error.Key);
        Assert.Contains("\"/dev/zero\" (a character device, not a regular file)", error.Message, StringComparison.Ordinal);

        string huge = _files.File("huge.creds", "");
        using (var file = File.OpenWrite(huge))
        {
            file.SetLength(ConfigSection.MaxFileBytes + 1);
        }

        error = Assert.Throws<JooldConfigException>(() => Read(WithCredentials(huge)));
        Assert.Contains($"\"{huge}\" (1048577 bytes; at most 1048576 (1 MiB) are read)", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<JooldConfigException>(() => Read($$"""{"servers": ["nats://10.0.0.1:4222"], "node": "gw1", "tls ca": "/dev/null"}"""));
        Assert.Equal("tls ca", error.Key);
    }

    [Fact]
    public void A_credentials_files_text_is_read_once_at_configuration()
    {
        string creds = _files.File("nats.creds", "-----BEGIN NATS USER JWT-----\n");

        var settings = Read(WithCredentials(creds));

        Assert.Equal(creds, settings.CredentialsFile);
        Assert.Equal("-----BEGIN NATS USER JWT-----\n", settings.Credentials);
        Assert.DoesNotContain("BEGIN NATS", settings.ToString(), StringComparison.Ordinal);
    }

    private static string WithCredentials(string path) => $$"""{"servers": ["nats://10.0.0.1:4222"], "node": "gw1", "credentials": "{{path}}"}""";

    private static NatsSettings Read(string json) => NatsSettings.FromSection(ConfigSection.Parse(Source, json));
}
