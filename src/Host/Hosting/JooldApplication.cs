using System.Reflection;
using Joold.Configuration;
using Joold.Host.Configuration;
using Joold.Host.Plugins;
using Joold.Plugins;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Hosting;

/// <summary>
/// Builds one daemon from <see cref="JooldSettings"/>: loads the plugins, lets each register its services, adds
/// the relay and the counters, and wraps it all in a generic host (signals, systemd notify, logging).
/// </summary>
internal sealed class JooldApplication : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _origin;

    private JooldApplication(IHost host, PluginCatalog catalog, JooldCounters counters, string origin)
    {
        _host = host;
        _origin = origin;
        Catalog = catalog;
        Counters = counters;
    }

    public PluginCatalog Catalog { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>The host's own log, for what happens around the components (signals).</summary>
    public ILogger Logger => _host.Services.GetRequiredService<ILogger<JooldApplication>>();

    /// <summary>The relay's counters; not in the container, where plugins could write them.</summary>
    public JooldCounters Counters { get; }

    /// <summary>Loads plugins and composes the services. Throws <see cref="JooldConfigException"/> or <see cref="PluginLoadException"/>.</summary>
    public static JooldApplication Build(JooldSettings settings)
    {
        var directories = new List<string>();
        if (settings.UseDefaultPluginDirectory && Directory.Exists(PluginCatalog.DefaultDirectory))
        {
            directories.Add(PluginCatalog.DefaultDirectory);
        }

        directories.AddRange(settings.PluginDirectories.Select(Path.GetFullPath));
        // Plugins run as root: only those the command or configuration names are loaded, each from a folder only
        // root or joold's own user may write (unless the operator allows otherwise, for development).
        var catalog = PluginCatalog.Discover(directories, settings.AllowUnsafePlugins ? null : new PluginFileCheck());
        catalog.Load(settings.RequiredPlugins.Order(StringComparer.Ordinal));

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(settings.LogLevel);

        // The host logs a start failure with its stack trace; joold prints it as one line itself (with the trace at Debug).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (settings.ConfigureLogging is null)
        {
            builder.Logging.AddJooldConsole();
        }
        else
        {
            settings.ConfigureLogging(builder.Logging);
        }

        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        // Plugins see the counters only through the narrow interfaces; the relay gets the writable object directly.
        var counters = new JooldCounters();
        builder.Services.AddSingleton<IJooldStatistics>(counters);
        builder.Services.AddSingleton<ITransportCounters>(counters);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(new RelayOptions());
        builder.Services.AddSingleton(sp => new SessionRelay(
            sp.GetServices<ISessionSource>(),
            sp.GetServices<ISessionSink>(),
            counters,
            sp.GetRequiredService<ILogger<SessionRelay>>(),
            sp.GetRequiredService<RelayOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHostedService(sp => new CounterSummaryService(
            counters, sp.GetRequiredService<TimeProvider>(), settings.SummaryInterval, sp.GetRequiredService<ILogger<CounterSummaryService>>()));
        builder.Services.AddSingleton<RelayHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RelayHostedService>());
        builder.Services.AddSingleton<JooldMeter>();
        builder.Services.AddHostedService<MeterPublisher>();
        builder.Services.AddHostedService<SystemdWatchdog>();

        foreach (var plugin in catalog.Loaded)
        {
            var section = settings.Sections.GetValueOrDefault(plugin.Name);
            try
            {
                plugin.EntryPoint.ConfigureServices(builder.Services, new PluginContext(plugin.Name, section, plugin.Directory));
            }
            catch (JooldConfigException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new PluginLoadException(plugin.Name, plugin.AssemblyPath, $"failed while configuring: {e.Message}", e);
            }
        }

        settings.ConfigureServices?.Invoke(builder.Services);
        var host = builder.Build();

        // As the original prints its configuration at start: what each plugin was given, and from where.
        var logger = host.Services.GetRequiredService<ILogger<JooldApplication>>();
        foreach (var plugin in catalog.Loaded)
        {
            HostLog.PluginLoaded(logger, plugin.ToString());
            if (settings.Sections.TryGetValue(plugin.Name, out var section))
            {
                var secrets = plugin.EntryPoint.GetType().GetCustomAttribute<SecretConfigKeysAttribute>()?.Keys;
                HostLog.Configuration(logger, plugin.Name, section.Source, section.Summarize(secrets));
            }
        }

        return new JooldApplication(host, catalog, counters, settings.Origin);
    }

    /// <summary>
    /// Starts every component and the relay; throws <see cref="ComponentStartException"/> naming the plugin, or
    /// <see cref="JooldConfigException"/> when the configuration gives the relay nothing to move.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        RelayShape.Check(_host.Services, _origin);
        return _host.StartAsync(cancellationToken);
    }

    public Task StopAsync() => _host.StopAsync();

    /// <summary>Runs until SIGTERM/SIGINT or a fatal relay failure. Returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        await _host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        var failure = _host.Services.GetRequiredService<RelayHostedService>().Failure;
        if (failure is not null)
        {
            await Console.Error.WriteLineAsync($"joold: {failure.Message}").ConfigureAwait(false);
            return 1;
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            _host.Dispose();
        }
    }
}
