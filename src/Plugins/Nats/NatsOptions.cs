using System.Text.Json.Serialization;

namespace Joold.Plugins.Nats;

/// <summary>
/// The Nats section as written, bound with <see cref="Configuration.ConfigSection.Bind{T}"/>. Example:
/// <c>{"servers": ["nats://10.0.0.1:4222"], "node": "gw1", "stream": "JOOLD", "max age": "02:05:00"}</c>.
/// <see cref="NatsSettings.FromOptions"/> checks it.
/// </summary>
public sealed class NatsOptions
{
    public const string ServersKey = "servers";
    public const string NodeKey = "node";
    public const string InstanceKey = "instance";
    public const string StreamKey = "stream";
    public const string MaxAgeKey = "max age";
    public const string ReplicasKey = "replicas";
    public const string BufferKey = "buffer";
    public const string CredentialsKey = "credentials";
    public const string TlsCaKey = "tls ca";
    public const string TlsCertKey = "tls cert";
    public const string TlsKeyKey = "tls key";

    /// <summary>Seed URLs of the cluster ("nats://host:port" or "tls://host:port"); the client learns the rest.</summary>
    [JsonPropertyName(ServersKey)]
    public string?[]? Servers { get; set; }

    /// <summary>This gateway's name, unique in the group: its subject and its durable consumer derive from it.</summary>
    [JsonPropertyName(NodeKey)]
    public string? Node { get; set; }

    /// <summary>The sync group, usually the Jool instance's name: subjects are <c>joold.&lt;instance&gt;.&lt;node&gt;</c>.</summary>
    [JsonPropertyName(InstanceKey)]
    public string? Instance { get; set; }

    /// <summary>The JetStream stream; created (file storage) when missing.</summary>
    [JsonPropertyName(StreamKey)]
    public string? Stream { get; set; }

    /// <summary>How long the stream keeps a batch, "[d.]hh:mm:ss", when the plugin creates it.</summary>
    [JsonPropertyName(MaxAgeKey)]
    public string? MaxAge { get; set; }

    /// <summary>Copies of the stream in the cluster when the plugin creates it (3 survives one server's loss).</summary>
    [JsonPropertyName(ReplicasKey)]
    public int? Replicas { get; set; }

    /// <summary>Batches held locally while no server accepts them.</summary>
    [JsonPropertyName(BufferKey)]
    public int? Buffer { get; set; }

    /// <summary>A NATS credentials file (JWT and NKey seed), as <c>nsc</c> makes it.</summary>
    [JsonPropertyName(CredentialsKey)]
    public string? Credentials { get; set; }

    /// <summary>PEM file of the certificate authorities that sign the servers' certificates.</summary>
    [JsonPropertyName(TlsCaKey)]
    public string? TlsCa { get; set; }

    /// <summary>PEM client certificate, for servers that verify clients; needs <see cref="TlsKey"/>.</summary>
    [JsonPropertyName(TlsCertKey)]
    public string? TlsCert { get; set; }

    /// <summary>PEM private key of <see cref="TlsCert"/>.</summary>
    [JsonPropertyName(TlsKeyKey)]
    public string? TlsKey { get; set; }
}
