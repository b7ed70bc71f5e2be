using System.Globalization;
using Joold.Testing;

namespace Joold.Nats.Tests.Support;

/// <summary>
/// One <c>nats-server</c> process with JetStream, on 127.0.0.1, with its own store directory and configuration
/// file (written once, so a restart is the same server with the same data). Killed on dispose, also on failure.
/// </summary>
internal sealed class NatsServer : IAsyncDisposable
{
    public const string Executable = "nats-server";

    private readonly TempDirectory _directory;
    private readonly string _configPath;
    private DaemonProcess? _process;

    /// <param name="extraConfig">More of the server's configuration, such as a <c>tls { }</c> block.</param>
    public NatsServer(string name, int clientPort, int? clusterPort, IEnumerable<int> routePorts, string extraConfig = "")
    {
        Name = name;
        ClientPort = clientPort;
        _directory = new TempDirectory($"joold-nats-{name}-");
        StoreDirectory = Path.Combine(_directory.Path, "store");
        string routes = string.Join(", ", routePorts.Select(p => $"\"nats-route://127.0.0.1:{p}\""));
        string cluster = clusterPort is { } port
            ? $$"""
              cluster {
                name: "joold-test"
                listen: "127.0.0.1:{{port}}"
                routes: [{{routes}}]
              }
              """
            : "";
        _configPath = _directory.File("server.conf", string.Create(CultureInfo.InvariantCulture, $$"""
            server_name: "{{name}}"
            listen: "127.0.0.1:{{clientPort}}"
            jetstream {
              store_dir: "{{StoreDirectory}}"
              max_memory_store: 64MB
              max_file_store: 1GB
            }
            {{cluster}}
            {{extraConfig}}
            """));
    }

    public string Name { get; }

    public int ClientPort { get; }

    public string Url => $"nats://127.0.0.1:{ClientPort}";

    public string StoreDirectory { get; }

    public bool IsRunning => _process is { HasExited: false };

    public string Output => _process is null ? "" : $"{_process.StandardOutput}\n{_process.StandardError}";

    /// <summary>Whether this machine has nats-server (CI installs it; the tests need it and are never skipped).</summary>
    public static bool IsInstalled =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Any(d => File.Exists(Path.Combine(d, Executable)));

    /// <summary>Starts the server (again, after a stop or kill) and waits until it accepts clients.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} already runs.");
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = DaemonProcess.Start(ExecutablePath, ["-c", _configPath]);
        await _process.WaitForOutputAsync("Server is ready");
    }

    /// <summary>SIGKILL: a crash, no goodbye to clients or routes.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            DaemonProcess.Signal(process.Id, Tmds.Linux.LibC.SIGKILL);
            await process.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }
    }

    /// <summary>SIGTERM: an orderly stop.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await process.TerminateAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"--- nats-server {Name} (last run) ---\n{Output}");
        }

        _directory.Dispose();
    }

    private static string ExecutablePath =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin")
            .Select(d => Path.Combine(d, Executable)).FirstOrDefault(File.Exists) ?? Executable;
}
