using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Joold.Testing;

namespace Joold.Nats.Tests.Support;

/// <summary>A test certificate authority and a server certificate for 127.0.0.1 it signed, as PEM files.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory _directory = new("joold-nats-tls-");

    public TestCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=joold test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        // One instant for both: a server certificate may not outlive its issuer, and two readings of the clock can
        // fall on either side of a second.
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, now.AddHours(-1), now.AddHours(12), [1, 2, 3, 4]);

        CaFile = _directory.File("ca.pem", ca.ExportCertificatePem());
        ServerCertificateFile = _directory.File("server.pem", server.ExportCertificatePem());
        ServerKeyFile = _directory.File("server-key.pem", serverKey.ExportPkcs8PrivateKeyPem());
    }

    public string CaFile { get; }

    public string ServerCertificateFile { get; }

    public string ServerKeyFile { get; }

    /// <summary>The server's <c>tls { }</c> block: TLS required of every client.</summary>
    public string ServerConfig => $$"""
        tls {
          cert_file: "{{ServerCertificateFile}}"
          key_file: "{{ServerKeyFile}}"
        }
        """;

    public void Dispose() => _directory.Dispose();
}
