using System.CommandLine;
using Joold.Host.Configuration;
using Joold.Host.Hosting;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Host.CommandLine;

/// <summary><c>joold follow</c> and <c>joold advertise</c>: the kernel side alone, as <c>jool session follow/advertise</c>.</summary>
internal static class NetlinkCommands
{
    private static readonly TimeSpan AdvertiseTimeout = TimeSpan.FromSeconds(2);

    public static Command CreateFollow()
    {
        var (instance, peer) = CreateOptions();
        var command = new Command("follow", "Print every session the kernel multicasts, one CSV line each, and ACK each batch.") { instance, peer };
        command.SetAction((result, ct) => JooldCommandLine.RunDaemonAsync(
            result,
            s =>
            {
                CommandLineSections.AddNetlink(s, result.GetValue(instance)!, result.GetValue(peer));
                s.ConfigureServices = services => services.AddSingleton<ISessionSink>(new FollowPrinter(Console.Out));
            },
            ct));
        return command;
    }

    public static Command CreateAdvertise()
    {
        var (instance, peer) = CreateOptions();
        var command = new Command("advertise", "Ask the kernel to send every session of the instance to the peers again (JOOLD_ADVERTISE).") { instance, peer };
        command.SetAction((result, ct) => JooldCommandLine.GuardAsync(result, async () =>
        {
            var settings = JooldCommandLine.CreateSettings(result);
            CommandLineSections.AddNetlink(settings, result.GetValue(instance)!, result.GetValue(peer));
            await using var app = JooldApplication.Build(settings);
            var advertiser = app.Services.GetService<ISessionAdvertiser>();
            if (advertiser is null)
            {
                await Console.Error.WriteLineAsync("joold: no installed plugin can advertise (the JoolNetlink plugin provides it).");
                return 1;
            }

            if (advertiser is IJooldComponent component)
            {
                await component.StartAsync(ct);
            }

            try
            {
                await advertiser.AdvertiseAsync(AdvertiseTimeout, ct);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                await Console.Error.WriteLineAsync($"joold: advertise failed: {e.Message}");
                return 1;
            }

            await Console.Out.WriteLineAsync("The kernel accepted the advertisement.");
            return 0;
        }));
        return command;
    }

    /// <summary>The testing aid that points the kernel link at a fake kernel (the "netlink peer" key).</summary>
    public static Option<uint> CreatePeerOption() => new("--netlink-peer")
    {
        Description = "Testing aid: send every netlink request to this port id instead of the kernel (a fake kernel).",
    };

    private static (Option<string> Instance, Option<uint> Peer) CreateOptions() =>
    (
        new Option<string>("--instance", "-i") { Description = "The Jool instance.", DefaultValueFactory = _ => "default" },
        CreatePeerOption()
    );
}
