using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Joold.Plugins.Nats;

/// <summary>The client options a gateway's connection uses, from its settings.</summary>
internal static class NatsConnectionOptions
{
    public static NatsOpts For(NatsSettings settings, ILogger logger)
    {
        bool anyTls = settings.TlsCaFile is not null || settings.TlsCertFile is not null;
        return NatsOpts.Default with
        {
            Url = string.Join(",", settings.Servers),
            Name = $"joold {settings.Instance}/{settings.Node}",

            // A gateway starts and stays up whether or not a server answers: it buffers and reconnects forever. Before
            // the first connection every use tries again and fails with the reason (a refused TLS handshake, say),
            // which the plugin logs; after it, the client reconnects on its own.
            RetryOnInitialConnect = false,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
            ReconnectJitter = TimeSpan.FromMilliseconds(100),
            ConnectTimeout = TimeSpan.FromSeconds(2),

            // Consumed messages wait for the relay instead of being dropped by the client.
            SubPendingChannelFullMode = System.Threading.Channels.BoundedChannelFullMode.Wait,

            // The plugin logs connection changes itself; the client's warnings and errors go through, rate-limited.
            LoggerFactory = new ClientLoggerFactory(logger),
            AuthOpts = settings.Credentials is null ? NatsAuthOpts.Default : NatsAuthOpts.Default with { Creds = settings.Credentials },
            TlsOpts = !anyTls ? NatsTlsOpts.Default : NatsTlsOpts.Default with
            {
                Mode = TlsMode.Require,
                CaFile = settings.TlsCaFile,
                CertFile = settings.TlsCertFile,
                KeyFile = settings.TlsKeyFile,
            },
        };
    }
}
