namespace Joold.Plugins.Tls;

/// <summary>The other side failed authentication: its certificate, or the TLS handshake itself.</summary>
internal sealed class PeerRefusedException : Exception
{
    public PeerRefusedException(string reason, Exception? innerException = null)
        : base(reason, innerException)
    {
    }

    public PeerRefusedException()
    {
    }

    public PeerRefusedException(string message)
        : base(message)
    {
    }
}
