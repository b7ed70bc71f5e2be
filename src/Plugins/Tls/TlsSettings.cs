using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Joold.Configuration;
using Joold.Plugins.Tls.Credentials;

namespace Joold.Plugins.Tls;

/// <summary>The checked form of <see cref="TlsOptions"/>: where to listen, whom to dial, which files, what bounds.</summary>
public sealed record TlsSettings(
    IPEndPoint? Listen,
    IReadOnlyList<HostPort> Peers,
    CredentialFiles Files,
    int QueueCapacity,
    TimeSpan ResyncInterval)
{
    public const int DefaultQueue = 65536;
    public const int MaxQueue = 16 * 1024 * 1024;
    public const double DefaultResyncSeconds = 10;
    public const double MaxResyncSeconds = 86400;

    private const string ListenExpected = "an IP address and port such as \"[::]:6443\" or \"192.0.2.1:6443\"";
    private const string PeerExpected = "\"host:port\" with a DNS name, an IPv4 address or a bracketed IPv6 address, and a port from 1 to 65535";

    /// <summary>Reads and checks a section (keys case-insensitive, each given once); every error names the file and the key.</summary>
    public static TlsSettings FromSection(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var options = new TlsOptions
        {
            Listen = section.GetString(TlsOptions.ListenKey, null),
            Peers = ReadPeers(section),
            Certificate = section.GetString(TlsOptions.CertificateKey, null),
            Key = section.GetString(TlsOptions.KeyKey, null),
            Ca = section.GetString(TlsOptions.CaKey, null),
            Queue = section.TryGetProperty(TlsOptions.QueueKey, out _) ? section.GetInt32(TlsOptions.QueueKey, DefaultQueue, 1, MaxQueue) : null,
            ResyncInterval = ReadSeconds(section),
        };
        return FromOptions(options, section.Source);
    }

    private static string?[]? ReadPeers(ConfigSection section)
    {
        if (!section.TryGetProperty(TlsOptions.PeersKey, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new JooldConfigException(section.Source, TlsOptions.PeersKey, ConfigSection.Describe(value), $"an array of {PeerExpected}");
        }

        var peers = new List<string?>();
        int i = 0;
        foreach (var element in value.EnumerateArray())
        {
            peers.Add(element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Null => null,
                _ => throw new JooldConfigException(section.Source, $"{TlsOptions.PeersKey}[{i}]", ConfigSection.Describe(element), PeerExpected),
            });
            i++;
        }

        return [.. peers];
    }

    private static double? ReadSeconds(ConfigSection section)
    {
        if (!section.TryGetProperty(TlsOptions.ResyncIntervalKey, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double seconds)
            ? seconds
            : throw new JooldConfigException(section.Source, TlsOptions.ResyncIntervalKey, ConfigSection.Describe(value), $"a number of seconds from 0.1 to {MaxResyncSeconds}");
    }

    /// <summary>
    /// Checks bound options; <paramref name="source"/> names the file in errors. The certificate files are read and
    /// checked here too (<see cref="CredentialLoader"/>), so a bad one stops the daemon before anything starts.
    /// </summary>
    public static TlsSettings FromOptions(TlsOptions options, string source)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listen = ParseListen(source, options.Listen);
        var peers = ParsePeers(source, options.Peers);
        if (listen is null && peers.Count == 0)
        {
            throw new JooldConfigException($"{source}: the Tls section has neither '{TlsOptions.ListenKey}' nor '{TlsOptions.PeersKey}'; expected at least one (a node may accept, dial, or both).");
        }

        string certificate = RequiredPath(source, TlsOptions.CertificateKey, options.Certificate, "the path of this node's certificate (PEM)");
        string key = RequiredPath(source, TlsOptions.KeyKey, options.Key, "the path of the certificate's private key (PEM)");
        string ca = RequiredPath(source, TlsOptions.CaKey, options.Ca, "the path of the CA bundle that peers' certificates chain to (PEM)");

        int queue = options.Queue ?? DefaultQueue;
        if (queue is < 1 or > MaxQueue)
        {
            throw new JooldConfigException(source, TlsOptions.QueueKey, queue.ToString(CultureInfo.InvariantCulture), $"a number of batches from 1 to {MaxQueue}");
        }

        double resync = options.ResyncInterval ?? DefaultResyncSeconds;
        if (!(resync >= 0.1 && resync <= MaxResyncSeconds))
        {
            throw new JooldConfigException(source, TlsOptions.ResyncIntervalKey, resync.ToString(CultureInfo.InvariantCulture), $"a number of seconds from 0.1 to {MaxResyncSeconds}");
        }

        var files = new CredentialFiles(source, certificate, key, ca, Accepts: listen is not null, Dials: peers.Count > 0);
        return new TlsSettings(listen, peers, files, queue, TimeSpan.FromSeconds(resync));
    }

    private static IPEndPoint? ParseListen(string source, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!HostPort.TryParse(text, allowPortZero: true, out var parsed))
        {
            throw new JooldConfigException(source, TlsOptions.ListenKey, $"\"{text}\"", ListenExpected);
        }

        if (parsed.Address is not { } address)
        {
            throw new JooldConfigException(source, TlsOptions.ListenKey, $"\"{text}\"", $"{ListenExpected} (an address, not a host name)");
        }

        // Port 0 (a free port) is for tests, which read the bound port back.
        return new IPEndPoint(address, parsed.Port);
    }

    private static List<HostPort> ParsePeers(string source, string?[]? texts)
    {
        var peers = new List<HostPort>();
        if (texts is null)
        {
            return peers;
        }

        for (int i = 0; i < texts.Length; i++)
        {
            string key = $"{TlsOptions.PeersKey}[{i}]";
            string? text = texts[i];
            if (text is null)
            {
                throw new JooldConfigException(source, key, "null", PeerExpected);
            }

            if (!HostPort.TryParse(text, out var peer))
            {
                throw new JooldConfigException(source, key, $"\"{text}\"", PeerExpected);
            }

            if (peer.Address is { } address && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)))
            {
                throw new JooldConfigException(source, key, $"\"{text}\"", "a peer's own address, not the unspecified address");
            }

            if (peers.IndexOf(peer) is int first and >= 0)
            {
                throw new JooldConfigException(source, key, $"\"{text}\"", $"a peer not already listed (it repeats {TlsOptions.PeersKey}[{first}])");
            }

            peers.Add(peer);
        }

        return peers;
    }

    private static string RequiredPath(string source, string key, string? path, string expected) => path switch
    {
        null => throw new JooldConfigException(source, key, "missing", expected),
        "" => throw new JooldConfigException(source, key, "an empty string", expected),
        // Path.GetFullPath throws ArgumentException for a NUL, which would escape as a crash (found by fuzz/).
        _ when path.Contains('\0', StringComparison.Ordinal) => throw new JooldConfigException(source, key, "a path with a NUL character", expected),
        _ => Path.GetFullPath(path, Path.GetDirectoryName(Path.GetFullPath(source)) ?? "/"),
    };

    /// <summary>Whether the listen address is IPv6 (dual-stack when it is "::").</summary>
    internal bool ListensOnIpv6 => Listen?.AddressFamily == AddressFamily.InterNetworkV6;
}
