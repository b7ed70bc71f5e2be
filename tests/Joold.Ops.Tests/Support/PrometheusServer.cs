using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Joold.Testing;

namespace Joold.Ops.Tests.Support;

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c>), in a temporary folder of its own, on a loopback port,
/// scraping the given targets every second. Disposing stops it and removes the folder, also after a failure.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly DaemonProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(TempDirectory directory, DaemonProcess process, int port)
    {
        _directory = directory;
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static bool IsInstalled => File.Exists("/usr/bin/prometheus");

    /// <summary>Starts the server with one job whose targets are "127.0.0.1:PORT" endpoints, each with a node label.</summary>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, int> nodes)
    {
        var directory = new TempDirectory("joold-prometheus-");
        int port = TcpPorts.Reserve(1)[0];
        string targets = string.Join("\n", nodes.Select(n => string.Create(
            CultureInfo.InvariantCulture,
            $"      - targets: ['127.0.0.1:{n.Value}']\n        labels: {{node: '{n.Key}'}}")));
        string config = directory.File("prometheus.yml", $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: joold
                static_configs:
            {targets}
            """);
        var process = DaemonProcess.Start(
            "/usr/bin/prometheus",
            [
                $"--config.file={config}",
                $"--storage.tsdb.path={Path.Combine(directory.Path, "data")}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--log.level=warn",
            ],
            directory.Path);
        var server = new PrometheusServer(directory, process, port);
        try
        {
            await Eventually.ValueAsync(server.IsReadyAsync, ready => ready || process.HasExited, "Prometheus ready");
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited at start: {process.StandardError}");
            }

            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Evaluates an instant PromQL query; the value of its single result, or null when it has none.</summary>
    public async Task<double?> QueryAsync(string promQl)
    {
        using var json = await _http.GetFromJsonAsync<JsonDocument>($"api/v1/query?query={Uri.EscapeDataString(promQl)}");
        var data = json!.RootElement;
        if (data.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{promQl}': {data}");
        }

        var results = data.GetProperty("data").GetProperty("result");
        return results.GetArrayLength() switch
        {
            0 => null,
            1 => double.Parse(results[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException($"'{promQl}' has {results.GetArrayLength()} results: {results}"),
        };
    }

    /// <summary>The health of every scrape target ("up" or "down"), by node label.</summary>
    public async Task<string> TargetsAsync() => await _http.GetStringAsync("api/v1/targets");

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            await _process.TerminateAsync(TimeSpan.FromSeconds(20));
        }

        await _process.DisposeAsync();
        _directory.Dispose();
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _http.GetAsync("-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
