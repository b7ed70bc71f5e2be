namespace Joold.LoadTest;

/// <summary>How daemon A reaches daemon B.</summary>
internal enum RelayTransport
{
    /// <summary>The Unicast plugin on 127.0.0.1, both daemons in this namespace (<c>joold run cfg.json</c>).</summary>
    Unicast,

    /// <summary>The Multicast plugin across two network namespaces over IPv4 (legacy netsocket.json/modsocket.json form).</summary>
    Multicast,

    /// <summary>The same over IPv6 (group ff08::db8:64:64, interfaces by name).</summary>
    Multicast6,

    /// <summary>The Nats plugin through one local nats-server with JetStream (see NatsRig).</summary>
    Nats,

    /// <summary>The Tls plugin on 127.0.0.1 in a namespace of its own (<c>joold run joold.json</c>; TlsRig).</summary>
    Tls,
}
