using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Joold.Plugins.Tls.Credentials;

/// <summary>
/// What a certificate must be, for this node's own certificate at start and for a peer's at each handshake. A
/// certificate needs the keyUsage extension with digitalSignature (TLS 1.3 signs with the key) and the
/// extendedKeyUsage extension naming its role: serverAuth for the side that accepts, clientAuth for the side that
/// dials; a node that does both needs both. A certificate without these extensions is refused, although RFC 5280
/// would read a missing extendedKeyUsage as "any purpose": the operator's own CA can always add them.
/// </summary>
internal static class CertificateRules
{
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "serverAuth");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "clientAuth");

    /// <summary>The policy every chain is built with: the configured CAs as the only roots, no downloads, no CRLs.</summary>
    public static X509ChainPolicy ChainPolicy(X509Certificate2Collection authorities, X509Certificate2Collection? extra = null)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(authorities);
        if (extra is not null)
        {
            policy.ExtraStore.AddRange(extra);
        }

        return policy;
    }

    /// <summary>Null when <paramref name="certificate"/> may play <paramref name="roles"/>, else why not.</summary>
    public static string? CheckUsage(X509Certificate2 certificate, IEnumerable<Oid> roles)
    {
        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is null || (keyUsage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
        {
            return "its keyUsage lacks digitalSignature";
        }

        var purposes = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages;
        foreach (var role in roles)
        {
            if (purposes is null || !purposes.Cast<Oid>().Any(p => p.Value == role.Value))
            {
                return $"its extendedKeyUsage lacks {role.FriendlyName}";
            }
        }

        return null;
    }

    /// <summary>Null when the chain is valid, else the first problem in words (expired, unknown CA, ...).</summary>
    public static string? DescribeChain(X509Chain chain, X509Certificate2 leaf)
    {
        foreach (var element in chain.ChainElements)
        {
            foreach (var status in element.ChainElementStatus)
            {
                // Usage is checked on its own, with a message naming the missing purpose.
                if (status.Status is X509ChainStatusFlags.NoError or X509ChainStatusFlags.NotValidForUsage)
                {
                    continue;
                }

                string who = element.Certificate.Thumbprint == leaf.Thumbprint ? "it" : $"its issuer {element.Certificate.Subject}";
                return status.Status switch
                {
                    X509ChainStatusFlags.NotTimeValid when element.Certificate.NotAfter < DateTime.Now =>
                        $"{who} expired on {Date(element.Certificate.NotAfter)}",
                    X509ChainStatusFlags.NotTimeValid => $"{who} is not valid before {Date(element.Certificate.NotBefore)}",
                    X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain =>
                        $"it was not issued by a CA of 'ca' (issuer {leaf.Issuer})",
                    X509ChainStatusFlags.NotSignatureValid => $"{who} has an invalid signature",
                    _ => $"{who}: {status.StatusInformation.Trim()} ({status.Status})",
                };
            }
        }

        foreach (var status in chain.ChainStatus)
        {
            if (status.Status is not (X509ChainStatusFlags.NoError or X509ChainStatusFlags.NotValidForUsage))
            {
                return status.Status is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain
                    ? $"it was not issued by a CA of 'ca' (issuer {leaf.Issuer})"
                    : $"{status.StatusInformation.Trim()} ({status.Status})";
            }
        }

        return null;
    }

    /// <summary>
    /// Null when a peer's certificate is acceptable: valid chain to the configured CAs, right usages, and (when
    /// <paramref name="dialedHost"/> is given, on the dialing side) a DNS or IP subject alternative name matching it.
    /// </summary>
    public static string? CheckPeer(X509Certificate? presented, X509Chain? chain, SslPolicyErrors errors, Oid role, string? dialedHost)
    {
        if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "it presented no certificate";
        }

        var leaf = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && (chain is null ? "its certificate chain is invalid" : DescribeChain(chain, leaf)) is { } problem)
        {
            return problem;
        }

        if (CheckUsage(leaf, [role]) is { } usage)
        {
            return usage;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return "its certificate chain is invalid";
        }

        if (dialedHost is not null && !leaf.MatchesHostname(dialedHost, allowWildcards: true, allowCommonName: false))
        {
            return $"its certificate names {Names(leaf)}, not {dialedHost}";
        }

        return null;
    }

    /// <summary>The DNS and IP subject alternative names, for messages.</summary>
    public static string Names(X509Certificate2 certificate)
    {
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        var names = san is null ? [] : san.EnumerateDnsNames().Concat(san.EnumerateIPAddresses().Select(a => a.ToString())).ToList();
        return names.Count == 0 ? "no DNS or IP subject alternative name" : string.Join(", ", names);
    }

    public static string Date(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
