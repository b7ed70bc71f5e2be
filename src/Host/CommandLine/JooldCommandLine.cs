using System.CommandLine;
using Joold.Configuration;
using Joold.Host.Configuration;
using Joold.Host.Demo;
using Joold.Host.Hosting;
using Joold.Host.Plugins;
using Microsoft.Extensions.Logging;

namespace Joold.Host.CommandLine;

/// <summary>
/// The <c>joold</c> command line: the seed's <c>joold [NETSOCKET] [MODSOCKET] [PORT]</c>, the
/// <c>jool session proxy</c> form, and the extra commands (run, demo, follow, advertise).
/// </summary>
internal static class JooldCommandLine
{
    private static readonly Option<string[]> PluginsOption = new("--plugins")
    {
        Description = "Another folder of plugins (<DIR>/<Name>/<Name>.dll), after the built-in one. Repeatable.",
        Recursive = true,
        HelpName = "DIR",
    };

    private static readonly Option<LogLevel> LogLevelOption = new("--log-level")
    {
        Description = "Least severe log level written to stderr.",
        Recursive = true,
        DefaultValueFactory = _ => LogLevel.Information,
    };

    private static readonly Option<bool> AllowUnsafePluginsOption = new("--allow-unsafe-plugins")
    {
        Description = "Load plugins from folders or files that others than root and joold's user may write (development only).",
        Recursive = true,
    };

    private static readonly Option<int> SummaryIntervalOption = new("--summary-interval")
    {
        Description = "Every MINUTES, log a one-line summary of the counters if any changed (0, the default: only at stop).",
        Recursive = true,
        HelpName = "MINUTES",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>
    /// The whole command line. With <paramref name="legacyArguments"/> false the root takes no positional arguments,
    /// so a subcommand's help and errors do not mention NETSOCKET and MODSOCKET.
    /// </summary>
    public static RootCommand Create(bool legacyArguments = true)
    {
        var netsocket = new Argument<string>("NETSOCKET")
        {
            Description = "The network socket's JSON file (multicast address, port, interfaces, ttl).",
            DefaultValueFactory = _ => "netsocket.json",
        };
        var modsocket = new Argument<string>("MODSOCKET")
        {
            Description = "The kernel socket's JSON file (instance).",
            DefaultValueFactory = _ => "modsocket.json",
        };
        var port = new Argument<string?>("PORT")
        {
            Description = "Start the UDP stats server on [::]:PORT (every address, as the original).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var statsAddress = new Option<string?>("--stats.address")
        {
            Description = "The stats server's address instead of :: (localhost: loopback only); alone, it starts the server on port 6401.",
        };

        var root = new RootCommand("Joold: NAT64 Jool's session synchronization daemon, relaying the kernel's sessions to peer NAT64s and back.")
        {
            PluginsOption, LogLevelOption, AllowUnsafePluginsOption, SummaryIntervalOption,
        };
        if (legacyArguments)
        {
            root.Add(netsocket);
            root.Add(modsocket);
            root.Add(port);
            root.Add(statsAddress);
            root.SetAction((result, ct) => RunDaemonAsync(result, s => CommandLineSections.AddLegacy(s, result.GetValue(netsocket)!, result.GetValue(modsocket)!, result.GetValue(port), result.GetValue(statsAddress)), ct));
        }

        root.Add(CreateProxy());
        root.Add(CreateRun());
        root.Add(DemoCommand.Create());
        root.Add(NetlinkCommands.CreateFollow());
        root.Add(NetlinkCommands.CreateAdvertise());
        root.Add(StatsCommand.Create());
        return root;
    }

    public static Task<int> InvokeAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool subcommand = args.Length > 0 && Create(legacyArguments: false).Subcommands.Any(c => c.Name == args[0]);
        return Create(legacyArguments: !subcommand).Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Settings common to every command: log level and plugin folders.</summary>
    public static JooldSettings CreateSettings(ParseResult result)
    {
        int minutes = result.GetValue(SummaryIntervalOption);
        if (minutes is < 0 or > 10_080)
        {
            throw new JooldConfigException($"--summary-interval is {minutes}; it must be from 0 (off) to 10080 minutes (a week).");
        }

        var settings = new JooldSettings
        {
            LogLevel = result.GetValue(LogLevelOption),
            AllowUnsafePlugins = result.GetValue(AllowUnsafePluginsOption),
            SummaryInterval = TimeSpan.FromMinutes(minutes),
        };
        settings.PluginDirectories.AddRange(result.GetValue(PluginsOption) ?? []);
        return settings;
    }

    /// <summary>Builds and runs one daemon; every startup problem becomes one line on stderr and exit code 1.</summary>
    public static async Task<int> RunDaemonAsync(ParseResult result, Action<JooldSettings> configure, CancellationToken cancellationToken)
    {
        // From the start: a SIGHUP while plugins load must not kill the daemon either.
        using var hangup = new HangupHandler();
        return await GuardAsync(
            result,
            async () =>
            {
                var settings = CreateSettings(result);
                configure(settings);
                await using var app = JooldApplication.Build(settings);
                hangup.Attach(app.Logger);
                return await app.RunAsync(cancellationToken);
            });
    }

    /// <summary>
    /// Runs <paramref name="body"/>; any exception becomes exactly one line on stderr and exit code 1 (the whole
    /// exception, stack trace included, comes before that line only at <c>--log-level Debug</c> or lower).
    /// </summary>
    public static async Task<int> GuardAsync(ParseResult result, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(result);
        try
        {
            return await body();
        }
        catch (Exception e)
        {
            if (result.GetValue(LogLevelOption) <= LogLevel.Debug)
            {
                await Console.Error.WriteLineAsync(e.ToString());
            }

            await Console.Error.WriteLineAsync($"joold: {FailureText.OneLine(e)}");
            return 1;
        }
    }

    private static Command CreateProxy()
    {
        var address = new Argument<string?>("NET_MCAST_ADDR")
        {
            Description = "The multicast group the peers share (IPv4 or IPv6).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var instance = new Option<string>("--instance", "-i") { Description = "The Jool instance.", DefaultValueFactory = _ => "default" };
        var port = new Option<string>("--net.mcast.port", "-p") { Description = "The multicast UDP port.", DefaultValueFactory = _ => "6400" };
        var devIn = new Option<string?>("--net.dev.in") { Description = "Interface to listen on (IPv4: its address; IPv6: its name)." };
        var devOut = new Option<string?>("--net.dev.out", "-o") { Description = "Interface to send from (IPv4: its address; IPv6: its name)." };
        var ttl = new Option<long>("--net.ttl", "-t") { Description = "Multicast TTL / hop limit (0-255).", DefaultValueFactory = _ => 1 };
        var statsAddress = new Option<string?>("--stats.address") { Description = "Start the stats server on this address (default ::)." };
        var statsPort = new Option<string?>("--stats.port") { Description = "Start the stats server on this port (default 6401)." };
        var netlinkPeer = NetlinkCommands.CreatePeerOption();
        var command = new Command("proxy", "Run the daemon configured by flags, as `jool session proxy` does.")
        {
            address, instance, port, devIn, devOut, ttl, statsAddress, statsPort, netlinkPeer,
        };
        command.SetAction((result, ct) => RunDaemonAsync(
            result,
            s => CommandLineSections.AddProxy(
                s,
                result.GetValue(address),
                result.GetValue(instance)!,
                result.GetValue(port)!,
                result.GetValue(devIn),
                result.GetValue(devOut),
                result.GetValue(ttl),
                result.GetValue(statsAddress),
                result.GetValue(statsPort),
                result.GetValue(netlinkPeer)),
            ct));
        return command;
    }

    private static Command CreateRun()
    {
        var file = new Argument<string>("CONFIG")
        {
            Description = "A JSON object whose keys are plugin names and values their configuration, e.g. {\"JoolNetlink\": {...}, \"Unicast\": {...}}.",
        };
        var command = new Command("run", "Run the daemon with any set of plugins, configured by one JSON file.") { file };
        command.SetAction((result, ct) => RunDaemonAsync(result, s => CommandLineSections.AddFile(s, result.GetValue(file)!), ct));
        return command;
    }
}
