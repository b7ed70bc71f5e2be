using System.Net;
using System.Text.Json.Nodes;
using Joold.Host.Configuration;
using Joold.Host.Hosting;
using Joold.Host.Simulation;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Demo;

/// <summary>One demo daemon: a simulated kernel, the Unicast transport and the StatsUdp exporter, built like production.</summary>
internal sealed class DemoNode : IAsyncDisposable
{
    private DemoNode(string name, SimulatedKernel kernel, JooldApplication app, IPEndPoint stats, int seed)
    {
        Name = name;
        Kernel = kernel;
        App = app;
        Stats = stats;
        Generator = new SessionGenerator(seed, (byte)seed);
    }

    public string Name { get; }

    public SimulatedKernel Kernel { get; }

    public JooldApplication App { get; }

    public IPEndPoint Stats { get; }

    public SessionGenerator Generator { get; }

    /// <summary>Every session payload this node's kernel emitted, as hex, in order.</summary>
    public List<string> Emitted { get; } = [];

    public static DemoNode Create(string name, int seed, int listenPort, int peerPort, int statsPort, IEnumerable<string> pluginDirectories, bool allowUnsafePlugins)
    {
        var settings = new JooldSettings { LogLevel = LogLevel.Warning, AllowUnsafePlugins = allowUnsafePlugins };
        settings.PluginDirectories.AddRange(pluginDirectories);
        settings.AddSection("Unicast", CommandLineSections.Section(new JsonObject
        {
            ["listen"] = $"127.0.0.1:{listenPort}",
            ["peers"] = new JsonArray($"127.0.0.1:{peerPort}"),
        }));
        settings.AddSection("StatsUdp", CommandLineSections.Section(new JsonObject { ["address"] = "127.0.0.1", ["port"] = statsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        var kernel = new SimulatedKernel(name);
        settings.ConfigureServices = services =>
        {
            services.AddSingleton<ISessionSource>(kernel);
            services.AddSingleton<ISessionSink>(kernel);
        };
        settings.ConfigureLogging = logging => logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
        }).AddFilter((category, level) => level >= LogLevel.Warning);
        return new DemoNode(name, kernel, JooldApplication.Build(settings), new IPEndPoint(IPAddress.Loopback, statsPort), seed);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
