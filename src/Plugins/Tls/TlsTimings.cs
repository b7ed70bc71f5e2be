namespace Joold.Plugins.Tls;

/// <summary>The transport's clocks. Defaults suit gateways; tests shorten them.</summary>
internal sealed record TlsTimings
{
    /// <summary>Dial, TLS handshake and HELLO exchange together must finish within this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A PING goes out when nothing else was sent for this long.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection that received nothing (not even a PING) for this long is closed and redialed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>First redial delay after a failure; doubles up to <see cref="ReconnectCap"/>.</summary>
    public TimeSpan ReconnectInitial { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectCap { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection that lived this long resets the back-off.</summary>
    public TimeSpan StableConnection { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a graceful stop lets connections send what is queued and their last ACK.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often per-peer counters are logged at Debug.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the local side may take to answer an advertisement request.</summary>
    public TimeSpan AdvertiseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A certificate this close to expiry is warned about, at start and twice a day.</summary>
    public TimeSpan ExpiryWarning { get; init; } = TimeSpan.FromDays(30);
}
