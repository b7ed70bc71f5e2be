using System.Globalization;
using Joold.Configuration;

namespace Joold.Plugins.Nats;

/// <summary>The checked form of <see cref="NatsOptions"/>: every name, limit and file the transport uses.</summary>
public sealed record NatsSettings
{
    /// <summary>
    /// 2 h 5 min: above Jool's longest default session timeout (TCP established, 2:00:00, <c>TCP_EST</c> in
    /// Jool's constants.h) and RFC 6146's 2 h 4 min minimum for it, so a joiner replays every session still alive
    /// under defaults.
    /// </summary>
    public static readonly TimeSpan DefaultMaxAge = new(2, 5, 0);

    /// <summary>The longest <c>max age</c> accepted.</summary>
    public static readonly TimeSpan LongestMaxAge = TimeSpan.FromDays(366);

    public const string DefaultInstance = "default";
    public const string DefaultStream = "JOOLD";

    /// <summary>About 23 MiB of full 36-session batches: minutes of a busy gateway's output.</summary>
    public const int DefaultBuffer = 16384;

    public const int MaxBuffer = 1 << 20;
    public const int MaxReplicas = 5;
    public const int MaxNameLength = 64;

    private const string NameRule = "letters, digits and '-'";
    private const string UrlExpected = "a server URL such as \"nats://10.0.0.1:4222\" or \"tls://nats.example.net:4222\"";

    public required IReadOnlyList<string> Servers { get; init; }

    public required string Node { get; init; }

    public string Instance { get; init; } = DefaultInstance;

    public string Stream { get; init; } = DefaultStream;

    public TimeSpan MaxAge { get; init; } = DefaultMaxAge;

    public int Replicas { get; init; } = 1;

    public int Buffer { get; init; } = DefaultBuffer;

    public string? CredentialsFile { get; init; }

    /// <summary>
    /// The text of <see cref="CredentialsFile"/>, read once with the limits of a configuration file. Internal, so the
    /// record's ToString never prints the seed.
    /// </summary>
    internal string? Credentials { get; init; }

    public string? TlsCaFile { get; init; }

    public string? TlsCertFile { get; init; }

    public string? TlsKeyFile { get; init; }

    /// <summary>The servers for log lines and messages, user passwords hidden.</summary>
    public string ServerList => UrlPassword.Hide(string.Join(", ", Servers));

    /// <summary>Where this gateway publishes its kernel's batches.</summary>
    public string Subject => $"joold.{Instance}.{Node}";

    /// <summary>Every gateway's subject in the group: what the durable consumer reads (its own included).</summary>
    public string GroupSubjects => $"joold.{Instance}.*";

    /// <summary>What a stream the plugin creates holds: every group's subjects.</summary>
    public static string StreamSubjects => "joold.>";

    /// <summary>The durable consumer's name; '_' never appears in a node or instance name, so it is unambiguous.</summary>
    public string ConsumerName => $"joold_{Instance}_{Node}";

    /// <summary>Binds and checks a section; every error names the file and the key.</summary>
    public static NatsSettings FromSection(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return FromOptions(section.Bind<NatsOptions>(), section.Source);
    }

    /// <summary>Checks bound options; <paramref name="source"/> names the file in errors.</summary>
    public static NatsSettings FromOptions(NatsOptions options, string source)
    {
        ArgumentNullException.ThrowIfNull(options);
        var servers = ReadServers(options.Servers, source);
        string node = ReadName(options.Node, NatsOptions.NodeKey, source, null)
            ?? throw new JooldConfigException(source, NatsOptions.NodeKey, "missing", $"this gateway's name, unique in the group: 1 to {MaxNameLength} {NameRule}");
        string instance = ReadName(options.Instance, NatsOptions.InstanceKey, source, DefaultInstance)!;
        string stream = ReadStream(options.Stream, source);
        var maxAge = ReadMaxAge(options.MaxAge, source);

        if (options.Replicas is { } replicas and (< 1 or > MaxReplicas))
        {
            throw new JooldConfigException(source, NatsOptions.ReplicasKey, Number(replicas), $"a number of copies from 1 to {MaxReplicas} (3 in a three-server cluster)");
        }

        if (options.Buffer is { } buffer and (< 1 or > MaxBuffer))
        {
            throw new JooldConfigException(source, NatsOptions.BufferKey, Number(buffer), $"a number of batches from 1 to {MaxBuffer}");
        }

        string? cert = ReadFile(options.TlsCert, NatsOptions.TlsCertKey, "a PEM client certificate", source, out _);
        string? key = ReadFile(options.TlsKey, NatsOptions.TlsKeyKey, "the PEM private key of 'tls cert'", source, out _);
        if (cert is not null && key is null)
        {
            throw new JooldConfigException(source, NatsOptions.TlsKeyKey, "missing", "the PEM private key of 'tls cert' (the two go together)");
        }

        if (key is not null && cert is null)
        {
            throw new JooldConfigException(source, NatsOptions.TlsCertKey, "missing", "the PEM client certificate of 'tls key' (the two go together)");
        }

        string? credentialsFile = ReadFile(options.Credentials, NatsOptions.CredentialsKey, "a NATS credentials (.creds) file", source, out string? credentials);
        return new NatsSettings
        {
            Servers = servers,
            Node = node,
            Instance = instance,
            Stream = stream,
            MaxAge = maxAge,
            Replicas = options.Replicas ?? 1,
            Buffer = options.Buffer ?? DefaultBuffer,
            CredentialsFile = credentialsFile,
            Credentials = credentials,
            TlsCaFile = ReadFile(options.TlsCa, NatsOptions.TlsCaKey, "a PEM file of certificate authorities", source, out _),
            TlsCertFile = cert,
            TlsKeyFile = key,
        };
    }

    /// <summary>Whether <paramref name="text"/> is a name usable in a subject and a consumer name (see <see cref="NameRule"/>).</summary>
    public static bool IsName(string text) =>
        text.Length is > 0 and <= MaxNameLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static string[] ReadServers(string?[]? texts, string source)
    {
        if (texts is not { Length: > 0 })
        {
            throw new JooldConfigException(source, NatsOptions.ServersKey, texts is null ? "missing" : "an empty array", $"an array of at least one {UrlExpected}");
        }

        var servers = new string[texts.Length];
        for (int i = 0; i < texts.Length; i++)
        {
            string key = $"{NatsOptions.ServersKey}[{i}]";
            string text = texts[i] ?? throw new JooldConfigException(source, key, "null", UrlExpected);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("nats" or "tls")
                || uri.Host.Length == 0
                || uri.Port is 0 or > 65535
                || uri.AbsolutePath is not ("" or "/")
                || uri.Query.Length > 0
                || uri.Fragment.Length > 0)
            {
                throw new JooldConfigException(source, key, $"\"{UrlPassword.Hide(text)}\"", UrlExpected);
            }

            if (Array.IndexOf(servers, text, 0, i) is int first and >= 0)
            {
                throw new JooldConfigException(source, key, $"\"{UrlPassword.Hide(text)}\"", $"a server not already listed (it repeats servers[{first}])");
            }

            servers[i] = text;
        }

        return servers;
    }

    private static string? ReadName(string? text, string key, string source, string? defaultValue)
    {
        if (text is null)
        {
            return defaultValue;
        }

        return IsName(text)
            ? text
            : throw new JooldConfigException(source, key, $"\"{text}\"", $"1 to {MaxNameLength} {NameRule} (it becomes a NATS subject token and part of a consumer name)");
    }

    private static string ReadStream(string? text, string source)
    {
        if (text is null)
        {
            return DefaultStream;
        }

        return text.Length is > 0 and <= MaxNameLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? text
            : throw new JooldConfigException(source, NatsOptions.StreamKey, $"\"{text}\"", $"a JetStream stream name: 1 to {MaxNameLength} letters, digits, '-' and '_'");
    }

    private static TimeSpan ReadMaxAge(string? text, string source)
    {
        if (text is null)
        {
            return DefaultMaxAge;
        }

        string[] formats = [@"h\:mm\:ss", @"hh\:mm\:ss", @"d\.h\:mm\:ss", @"d\.hh\:mm\:ss"];
        return TimeSpan.TryParseExact(text, formats, CultureInfo.InvariantCulture, out var age) && age >= TimeSpan.FromSeconds(1) && age <= LongestMaxAge
            ? age
            : throw new JooldConfigException(source, NatsOptions.MaxAgeKey, $"\"{text}\"", $"a duration \"[d.]hh:mm:ss\" from \"00:00:01\" to \"{LongestMaxAge.Days}.00:00:00\", such as \"02:05:00\"");
    }

    /// <summary>
    /// Checks and reads the file a key names with the limits of a configuration file (a FIFO or a device named by
    /// mistake never blocks the start); the client reads the TLS files again, the credentials only from here.
    /// </summary>
    private static string? ReadFile(string? path, string key, string what, string source, out string? text)
    {
        text = null;
        if (path is null)
        {
            return null;
        }

        if (path.Length == 0)
        {
            throw new JooldConfigException(source, key, "an empty string", $"the path of {what}");
        }

        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new JooldConfigException(source, key, $"\"{path}\", which does not exist", $"the path of {what}");
        }

        text = ConfigSection.ReadFile(source, key, path, $"the path of {what}");
        return path;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
