using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Joold.Testing;

namespace Joold.Tls.Tests.Support;

/// <summary>
/// A throw-away certificate authority in a temporary folder, made at run time with CertificateRequest: node
/// certificates as PEM files (certificate, key with mode 0600, CA bundle), with whatever names, usages and
/// validity a test needs, including wrong ones.
/// </summary>
public sealed class TestPki : IDisposable
{
    private readonly TempDirectory _directory = new("joold-tls-pki-");
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private long _serial = Random.Shared.NextInt64(1, long.MaxValue / 2);

    public TestPki(string name = "Joold Test CA")
    {
        var request = new CertificateRequest($"CN={name}", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(5));
        CaFile = Write($"ca-{Guid.NewGuid():N}.pem", Certificate.ExportCertificatePem());
    }

    /// <summary>The CA certificate (with its key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA bundle: what "ca" names.</summary>
    public string CaFile { get; }

    public string Directory => _directory.Path;

    /// <summary>
    /// Issues a node certificate. Defaults: valid from yesterday for a year, keyUsage digitalSignature, both
    /// serverAuth and clientAuth, SANs 127.0.0.1 and localhost plus <paramref name="ips"/> and <paramref name="dns"/>.
    /// </summary>
    public NodeCertificate Issue(
        string name,
        IEnumerable<IPAddress>? ips = null,
        IEnumerable<string>? dns = null,
        bool serverAuth = true,
        bool clientAuth = true,
        X509KeyUsageFlags? keyUsage = X509KeyUsageFlags.DigitalSignature,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        bool loopbackNames = true)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        if (keyUsage is { } usage)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        }

        var purposes = new OidCollection();
        if (serverAuth)
        {
            purposes.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        if (clientAuth)
        {
            purposes.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        }

        if (purposes.Count > 0)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(purposes, false));
        }

        var names = new SubjectAlternativeNameBuilder();
        foreach (var ip in (loopbackNames ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : Array.Empty<IPAddress>()).Concat(ips ?? []))
        {
            names.AddIpAddress(ip);
        }

        foreach (string host in (loopbackNames ? ["localhost"] : Array.Empty<string>()).Concat(dns ?? []))
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        byte[] serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial));
        var from = notBefore ?? DateTimeOffset.UtcNow.AddDays(-1);
        var until = notAfter ?? DateTimeOffset.UtcNow.AddYears(1);
        using var certificate = request.Create(Certificate, from, until, serial);
        string stem = $"{name}-{Guid.NewGuid():N}";
        string certificateFile = Write($"{stem}.pem", certificate.ExportCertificatePem());
        string keyFile = Write($"{stem}.key", key.ExportPkcs8PrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new NodeCertificate(name, certificateFile, keyFile, CaFile);
    }

    /// <summary>Writes a file in the PKI's folder (mode 0644 unless given) and returns its path.</summary>
    public string Write(string name, string content, UnixFileMode? mode = null)
    {
        string path = Path.Combine(_directory.Path, name);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        return path;
    }

    public void Dispose()
    {
        _caKey.Dispose();
        Certificate.Dispose();
        _directory.Dispose();
    }
}

/// <summary>The three files of one node: what "certificate", "key" and "ca" name.</summary>
public sealed record NodeCertificate(string Name, string CertificateFile, string KeyFile, string CaFile);
