using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Joold.Plugins.Tls.Credentials;

/// <summary>
/// One loaded, checked set of this node's TLS material: its certificate with the private key, the intermediates
/// sent with it, and the CAs peers must chain to. Immutable; a reload makes a new one.
/// </summary>
internal sealed class TlsCredentials
{
    public TlsCredentials(X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection authorities)
    {
        Certificate = certificate;
        Intermediates = intermediates;
        Authorities = authorities;
        Context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
    }

    /// <summary>This node's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The rest of the certificate file: sent to peers so they can build the chain.</summary>
    public X509Certificate2Collection Intermediates { get; }

    /// <summary>The "ca" bundle: the only roots a peer's chain may end in.</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>What SslStream presents, built once per load.</summary>
    public SslStreamCertificateContext Context { get; }

    public DateTime NotAfter => Certificate.NotAfter;

    /// <summary>Whether <paramref name="other"/> holds the same certificate, chain and CAs (a reload that changed nothing).</summary>
    public bool SameAs(TlsCredentials other) =>
        Certificate.Thumbprint == other.Certificate.Thumbprint
        && Thumbprints(Intermediates).SequenceEqual(Thumbprints(other.Intermediates))
        && Thumbprints(Authorities).SequenceEqual(Thumbprints(other.Authorities));

    private static IEnumerable<string> Thumbprints(X509Certificate2Collection certificates) => certificates.Select(c => c.Thumbprint);
}
