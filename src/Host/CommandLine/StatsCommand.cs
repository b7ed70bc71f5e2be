using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Configuration;
using Joold.Host.Configuration;

namespace Joold.Host.CommandLine;

/// <summary>
/// <c>joold stats [ADDRESS] [PORT]</c>: asks a running daemon's UDP stats server for its six lines and prints them,
/// as <c>echo "" | nc -u ADDRESS PORT</c> would. The defaults come from the daemon's configuration file when there
/// is one (the packaged <c>/etc/joold/joold.json</c>, or <c>--config</c>), else <c>::1</c> and 6401.
/// </summary>
internal static class StatsCommand
{
    public const string DefaultConfig = "/etc/joold/joold.json";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var address = new Argument<string?>("ADDRESS") { Description = "The stats server's address (default: from the configuration, else ::1).", Arity = ArgumentArity.ZeroOrOne };
        var port = new Argument<string?>("PORT") { Description = "Its UDP port (default: from the configuration, else 6401).", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string?>("--config") { Description = $"The daemon's `joold run` file, whose StatsUdp section gives the defaults (default {DefaultConfig} when it exists).", HelpName = "FILE" };
        var command = new Command("stats", "Print a running daemon's counters (its UDP stats server's six lines).") { address, port, config };
        command.SetAction((result, ct) => JooldCommandLine.GuardAsync(result, () => RunAsync(result.GetValue(address), result.GetValue(port), result.GetValue(config), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string? addressText, string? portText, string? configPath, CancellationToken cancellationToken)
    {
        // The configuration is read only for what the command line leaves out.
        var (defaultAddress, defaultPort) = addressText is not null && portText is not null ? ("", "") : Defaults(configPath);
        string host = addressText ?? defaultAddress;
        portText ??= defaultPort;
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            await Console.Error.WriteLineAsync($"joold: stats: '{portText}' is not a port from 1 to 65535.");
            return 1;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException e)
        {
            await Console.Error.WriteLineAsync($"joold: stats: cannot resolve '{host}': {e.Message}");
            return 1;
        }

        var server = new IPEndPoint(addresses[0], port);
        string? reply = await QueryAsync(server, cancellationToken);
        if (reply is null)
        {
            await Console.Error.WriteLineAsync($"joold: stats: no answer from UDP {server} within {Timeout.TotalSeconds:0} s; is a daemon's stats server there?");
            return 1;
        }

        await Console.Out.WriteAsync(reply);
        return 0;
    }

    /// <summary>Sends one empty datagram and returns the reply's text, or null on timeout or refusal.</summary>
    public static async Task<string?> QueryAsync(IPEndPoint server, CancellationToken cancellationToken)
    {
        using var client = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var buffer = new byte[2048];
        try
        {
            await client.ConnectAsync(server, timeout.Token);
            await client.SendAsync(Array.Empty<byte>(), SocketFlags.None, timeout.Token);
            int length = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, length);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (SocketException)
        {
            return null; // ICMP port unreachable: nobody listens there
        }
    }

    /// <summary>The address and port a daemon configured by <paramref name="configPath"/> answers on, for a local client.</summary>
    private static (string Address, string Port) Defaults(string? configPath)
    {
        string? path = configPath ?? (File.Exists(DefaultConfig) ? DefaultConfig : null);
        if (path is null)
        {
            return ("::1", "6401");
        }

        var settings = new JooldSettings();
        CommandLineSections.AddFile(settings, path);
        if (!settings.Sections.TryGetValue(CommandLineSections.Stats, out var section))
        {
            throw new JooldConfigException($"{path}: has no {CommandLineSections.Stats} section, so the daemon serves no stats; give ADDRESS and PORT.");
        }

        string address = section.GetString("address", "::") ?? "::";
        string port = section.TryGetProperty("port", out var value) ? value.ToString() : "6401";

        // A wildcard bind answers on loopback.
        return (address switch { "::" => "::1", "0.0.0.0" => "127.0.0.1", _ => address }, port);
    }
}
