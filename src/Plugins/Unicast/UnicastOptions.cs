using System.Text.Json.Serialization;

namespace Joold.Plugins.Unicast;

/// <summary>
/// The Unicast section as written, bound with <see cref="Configuration.ConfigSection.Bind{T}"/>. Example:
/// <c>{"listen": "127.0.0.1:7000", "peers": ["127.0.0.1:7001"], "receive buffer": 1048576}</c>.
/// <see cref="UnicastSettings.FromOptions"/> checks it and turns it into endpoints.
/// </summary>
public sealed class UnicastOptions
{
    /// <summary>The JSON key of <see cref="Listen"/>.</summary>
    public const string ListenKey = "listen";

    /// <summary>The JSON key of <see cref="Peers"/>.</summary>
    public const string PeersKey = "peers";

    /// <summary>The JSON key of <see cref="ReceiveBuffer"/>.</summary>
    public const string ReceiveBufferKey = "receive buffer";

    /// <summary>Local address and port, "127.0.0.1:7000" or "[::1]:7000"; port 0 picks a free one.</summary>
    [JsonPropertyName(ListenKey)]
    public string? Listen { get; set; }

    /// <summary>Where every batch is sent, and the only addresses batches are accepted from.</summary>
    [JsonPropertyName(PeersKey)]
    public string?[]? Peers { get; set; }

    /// <summary>SO_RCVBUF in bytes; 4 MiB when absent (SO_RCVBUFFORCE as root).</summary>
    [JsonPropertyName(ReceiveBufferKey)]
    public int? ReceiveBuffer { get; set; }
}
