using System.Text.Json.Serialization;

namespace Joold.Plugins.Tls;

/// <summary>
/// The Tls section as written, bound with <see cref="Configuration.ConfigSection.Bind{T}"/>. Example:
/// <c>{"listen": "[::]:6443", "peers": ["gw2.example.net:6443"], "certificate": "/etc/joold/tls/node.pem",
/// "key": "/etc/joold/tls/node.key", "ca": "/etc/joold/tls/ca.pem"}</c>. <see cref="TlsSettings.FromOptions"/>
/// checks it.
/// </summary>
public sealed class TlsOptions
{
    public const string ListenKey = "listen";
    public const string PeersKey = "peers";
    public const string CertificateKey = "certificate";
    public const string KeyKey = "key";
    public const string CaKey = "ca";
    public const string QueueKey = "queue";
    public const string ResyncIntervalKey = "resync interval";

    /// <summary>Local address and port to accept peers on, "[::]:6443" or "192.0.2.1:6443"; absent: accept none.</summary>
    [JsonPropertyName(ListenKey)]
    public string? Listen { get; set; }

    /// <summary>Peers to dial, "host:port" with a DNS name, an IPv4 address or a bracketed IPv6 address.</summary>
    [JsonPropertyName(PeersKey)]
    public string?[]? Peers { get; set; }

    /// <summary>PEM file: this node's certificate, optionally followed by its intermediate CA certificates.</summary>
    [JsonPropertyName(CertificateKey)]
    public string? Certificate { get; set; }

    /// <summary>PEM file: the certificate's private key (unencrypted; readable by its owner only).</summary>
    [JsonPropertyName(KeyKey)]
    public string? Key { get; set; }

    /// <summary>PEM bundle: the CA certificates every peer's certificate must chain to. The system store is never used.</summary>
    [JsonPropertyName(CaKey)]
    public string? Ca { get; set; }

    /// <summary>Batches held per peer while it is unreachable or slow; 65536 when absent.</summary>
    [JsonPropertyName(QueueKey)]
    public int? Queue { get; set; }

    /// <summary>Seconds between two advertisements asked for by joining peers; 10 when absent.</summary>
    [JsonPropertyName(ResyncIntervalKey)]
    public double? ResyncInterval { get; set; }
}
