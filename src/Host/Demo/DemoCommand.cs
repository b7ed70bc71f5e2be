using System.CommandLine;
using Joold.Host.CommandLine;

namespace Joold.Host.Demo;

/// <summary><c>joold demo</c>: two nodes in one process, relaying simulated kernels' sessions over real UDP on loopback.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "How long the nodes emit sessions.", DefaultValueFactory = _ => 10 };
        var rate = new Option<int>("--rate") { Description = "Batches each simulated kernel emits per second.", DefaultValueFactory = _ => 20 };
        var loseOne = new Option<bool>("--lose-one")
        {
            Description = "Testing aid: node B's kernel discards one received batch, so the check must fail.",
            Hidden = true,
        };
        var command = new Command("demo", "Run two nodes with simulated NAT64 kernels, syncing over UDP on 127.0.0.1, and check that every session arrived intact.")
        {
            seconds, rate, loseOne,
        };
        command.SetAction((result, ct) => JooldCommandLine.GuardAsync(result, async () =>
        {
            if (result.GetValue(seconds) is < 1 or > 3600 || result.GetValue(rate) is < 1 or > 10_000)
            {
                await Console.Error.WriteLineAsync("joold: demo: --seconds must be from 1 to 3600 and --rate from 1 to 10000.");
                return 1;
            }

            var options = new DemoOptions(TimeSpan.FromSeconds(result.GetValue(seconds)), result.GetValue(rate), result.GetValue(loseOne));
            var settings = JooldCommandLine.CreateSettings(result);
            return await new DemoRunner(settings.PluginDirectories, Console.Out, TimeProvider.System, settings.AllowUnsafePlugins).RunAsync(options, ct);
        }));
        return command;
    }
}

internal sealed record DemoOptions(TimeSpan Duration, int BatchesPerSecond, bool LoseOne);
