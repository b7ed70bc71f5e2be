using Joold.Configuration;
using NATS.Client.Core;

namespace Joold.Plugins.Nats;

/// <summary>How the client's errors and servers read in log lines: never with a URL's password.</summary>
internal static class NatsText
{
    /// <summary>The client's message and, when it differs, the cause underneath (a TLS or socket error).</summary>
    public static string Describe(Exception e)
    {
        string cause = e.GetBaseException().Message;
        return UrlPassword.Hide(ReferenceEquals(e.GetBaseException(), e) || e.Message.Contains(cause, StringComparison.Ordinal) ? e.Message : $"{e.Message}: {cause}");
    }

    public static string ServerName(object? sender) =>
        sender is NatsConnection { ServerInfo: { } info } ? $"{info.Name} ({info.Host}:{info.Port})" : "the server";
}
