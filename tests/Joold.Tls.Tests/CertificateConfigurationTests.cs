using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Joold.Configuration;
using Joold.Plugins;
using Joold.Plugins.Tls;
using Joold.Tls.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Tls.Tests;

/// <summary>Every mistake in the certificate files stops the daemon with one line naming the key and the file.</summary>
public sealed class CertificateConfigurationTests : IDisposable
{
    private const string Source = "/etc/joold/tls.json";
    private readonly TestPki _pki = new();
    private readonly TestPki _otherPki = new("Another CA");

    public void Dispose()
    {
        _pki.Dispose();
        _otherPki.Dispose();
    }

    [Fact]
    public void Good_files_load()
    {
        var node = _pki.Issue("node");
        Configure(node.CertificateFile, node.KeyFile, node.CaFile);
    }

    [Fact]
    public void A_missing_certificate_file()
    {
        var node = _pki.Issue("node");
        string missing = Path.Combine(_pki.Directory, "nope.pem");
        Expect(() => Configure(missing, node.KeyFile, node.CaFile), "certificate", $"\"{missing}\" (no such file); expected a PEM file whose first certificate is this node's");
    }

    [Fact]
    public void A_certificate_file_without_a_certificate_or_with_broken_PEM()
    {
        var node = _pki.Issue("node");
        string text = _pki.Write("text.pem", "hello\n");
        Expect(() => Configure(text, node.KeyFile, node.CaFile), "certificate", $"\"{text}\" (holds no certificate); expected ");
        string broken = _pki.Write("broken.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        Expect(() => Configure(broken, node.KeyFile, node.CaFile), "certificate", $"\"{broken}\" (");
    }

    [Fact]
    public void A_missing_or_empty_CA_bundle()
    {
        var node = _pki.Issue("node");
        string missing = Path.Combine(_pki.Directory, "no-ca.pem");
        Expect(() => Configure(node.CertificateFile, node.KeyFile, missing), "ca", $"\"{missing}\" (no such file); expected a PEM file with the CA certificates");
        string empty = _pki.Write("empty-ca.pem", "");
        Expect(() => Configure(node.CertificateFile, node.KeyFile, empty), "ca", $"\"{empty}\" (holds no certificate)");
    }

    [Fact]
    public void A_missing_key_file()
    {
        var node = _pki.Issue("node");
        string missing = Path.Combine(_pki.Directory, "no.key");
        Expect(() => Configure(node.CertificateFile, missing, node.CaFile), "key", $"\"{missing}\" (no such file); expected a PEM file with the unencrypted private key of the certificate in 'certificate' ({node.CertificateFile}), readable by its owner only (chmod 600)");
    }

    [Theory]
    [InlineData(0b110_100_000, "0640")]
    [InlineData(0b110_000_100, "0604")]
    [InlineData(0b110_110_110, "0666")]
    [InlineData(0b100_000_010, "0402")]
    public void A_key_readable_or_writable_by_group_or_others_is_refused(int mode, string octal)
    {
        var node = _pki.Issue("node");
        File.SetUnixFileMode(node.KeyFile, (UnixFileMode)mode);
        Expect(() => Configure(node.CertificateFile, node.KeyFile, node.CaFile), "key", $"\"{node.KeyFile}\" (mode {octal}: group or others may access the private key); expected ");
    }

    [Fact]
    public void A_key_that_is_encrypted_unreadable_or_of_another_certificate()
    {
        var node = _pki.Issue("node");
        using var key = ECDsa.Create();
        string encrypted = _pki.Write("encrypted.key", key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)), UnixFileMode.UserRead);
        Expect(() => Configure(node.CertificateFile, encrypted, node.CaFile), "key", $"\"{encrypted}\" (the key is encrypted); expected ");
        string garbage = _pki.Write("garbage.key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", UnixFileMode.UserRead);
        Expect(() => Configure(node.CertificateFile, garbage, node.CaFile), "key", $"\"{garbage}\" (holds no RSA or ECDSA private key); expected ");
        var another = _pki.Issue("another");
        Expect(() => Configure(node.CertificateFile, another.KeyFile, node.CaFile), "key", $"\"{another.KeyFile}\" (the key does not match the certificate in 'certificate'); expected ");
    }

    [Fact]
    public void A_certificate_without_the_usages_its_roles_need()
    {
        var serverOnly = _pki.Issue("server-only", clientAuth: false);
        Configure(serverOnly.CertificateFile, serverOnly.KeyFile, serverOnly.CaFile, listen: true, dial: false);
        Expect(() => Configure(serverOnly.CertificateFile, serverOnly.KeyFile, serverOnly.CaFile, listen: true, dial: true), "certificate", $"\"{serverOnly.CertificateFile}\" (its extendedKeyUsage lacks clientAuth); expected a certificate with keyUsage digitalSignature and extendedKeyUsage serverAuth and clientAuth (this node accepts and dials)");

        var clientOnly = _pki.Issue("client-only", serverAuth: false);
        Configure(clientOnly.CertificateFile, clientOnly.KeyFile, clientOnly.CaFile, listen: false, dial: true);
        Expect(() => Configure(clientOnly.CertificateFile, clientOnly.KeyFile, clientOnly.CaFile, listen: true, dial: false), "certificate", "(its extendedKeyUsage lacks serverAuth); expected a certificate with keyUsage digitalSignature and extendedKeyUsage serverAuth (this node accepts)");

        var noSignature = _pki.Issue("no-signature", keyUsage: X509KeyUsageFlags.KeyAgreement);
        Expect(() => Configure(noSignature.CertificateFile, noSignature.KeyFile, noSignature.CaFile), "certificate", "(its keyUsage lacks digitalSignature)");
        var noKeyUsage = _pki.Issue("no-key-usage", keyUsage: null);
        Expect(() => Configure(noKeyUsage.CertificateFile, noKeyUsage.KeyFile, noKeyUsage.CaFile), "certificate", "(its keyUsage lacks digitalSignature)");
        var noPurposes = _pki.Issue("no-purposes", serverAuth: false, clientAuth: false);
        Expect(() => Configure(noPurposes.CertificateFile, noPurposes.KeyFile, noPurposes.CaFile), "certificate", "(its extendedKeyUsage lacks serverAuth)");
    }

    [Fact]
    public void A_certificate_that_is_expired_not_yet_valid_or_from_another_CA()
    {
        var expired = _pki.Issue("old", notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        Expect(() => Configure(expired.CertificateFile, expired.KeyFile, expired.CaFile), "certificate", $"\"{expired.CertificateFile}\" (it expired on ");
        var early = _pki.Issue("early", notBefore: DateTimeOffset.UtcNow.AddDays(2));
        Expect(() => Configure(early.CertificateFile, early.KeyFile, early.CaFile), "certificate", "(it is not valid before ");
        var foreign = _otherPki.Issue("foreign");
        Expect(() => Configure(foreign.CertificateFile, foreign.KeyFile, _pki.CaFile), "certificate", $"(it was not issued by a CA of 'ca' (issuer CN=Another CA)); expected a certificate that is valid now and chains to a CA in 'ca' ({_pki.CaFile})");
    }

    [Fact]
    public async Task A_certificate_file_that_is_a_FIFO_is_refused_without_waiting_for_a_writer()
    {
        var node = _pki.Issue("node");
        string fifo = Path.Combine(_pki.Directory, "fifo.pem");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Before the fix, opening the FIFO blocked until a writer came: the deadline turns that into a failure.
        var configuring = Task.Run(() => Expect(() => Configure(fifo, node.KeyFile, node.CaFile), "certificate", $"\"{fifo}\" (a named pipe (FIFO), not a regular file); expected a PEM file"), TestContext.Current.CancellationToken);
        await configuring.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    [Fact]
    public void A_device_as_CA_bundle_and_a_huge_key_file_are_refused_before_they_are_read()
    {
        var node = _pki.Issue("node");
        Expect(() => Configure(node.CertificateFile, node.KeyFile, "/dev/zero"), "ca", "\"/dev/zero\" (a character device, not a regular file); expected ");
        Expect(() => Configure(node.CertificateFile, node.KeyFile, _pki.Directory), "ca", $"\"{_pki.Directory}\" (a directory, not a regular file); expected ");

        string huge = _pki.Write("huge.key", "", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var file = File.OpenWrite(huge))
        {
            file.SetLength(3L << 30); // sparse: 3 GiB that take no disk space
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        Expect(() => Configure(node.CertificateFile, huge, node.CaFile), "key", $"\"{huge}\" (3221225472 bytes; at most 1048576 (1 MiB) are read); expected ");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the refusal read the file");
    }

    private static void Configure(string certificate, string key, string ca, bool listen = true, bool dial = true)
    {
        string members = (listen ? "\"listen\": \"[::]:6443\", " : "") + (dial ? "\"peers\": [\"gw2.example.net:6443\"], " : "");
        string json = $$"""{ {{members}} "certificate": "{{certificate}}", "key": "{{key}}", "ca": "{{ca}}" }""";
        new TlsPlugin().ConfigureServices(new ServiceCollection(), new PluginContext("Tls", ConfigSection.Parse(Source, json), "/plugins/Tls"));
    }

    private static void Expect(Action configure, string key, string text)
    {
        var error = Assert.Throws<JooldConfigException>(configure);
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{Source}: '{key}' is ", error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
