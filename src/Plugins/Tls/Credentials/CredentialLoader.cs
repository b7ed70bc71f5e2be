using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Joold.Configuration;

namespace Joold.Plugins.Tls.Credentials;

/// <summary>
/// Reads and checks the three PEM files. Every problem is one <see cref="JooldConfigException"/> naming the
/// configuration file, the key and the file it names, at start and at each reload alike.
/// </summary>
internal static class CredentialLoader
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const string CertificateExpected = "a PEM file whose first certificate is this node's (intermediates may follow)";
    private const string CaExpected = "a PEM file with the CA certificates that peers' certificates chain to";

    public static TlsCredentials Load(CredentialFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        string certificatePem = ReadText(files, TlsOptions.CertificateKey, files.Certificate, CertificateExpected);
        var chain = ImportCertificates(files, TlsOptions.CertificateKey, files.Certificate, certificatePem, CertificateExpected);
        string authoritiesPem = ReadText(files, TlsOptions.CaKey, files.Authorities, CaExpected);
        var authorities = ImportCertificates(files, TlsOptions.CaKey, files.Authorities, authoritiesPem, CaExpected);

        CheckKeyPermissions(files);
        string keyPem = ReadText(files, TlsOptions.KeyKey, files.Key, KeyExpected(files));
        var certificate = CombineWithKey(files, certificatePem, keyPem);

        var intermediates = new X509Certificate2Collection();
        for (int i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        CheckOwnCertificate(files, certificate, intermediates, authorities);
        return new TlsCredentials(certificate, intermediates, authorities);
    }

    private static string KeyExpected(CredentialFiles files) =>
        $"a PEM file with the unencrypted private key of the certificate in '{TlsOptions.CertificateKey}' ({files.Certificate}), readable by its owner only (chmod 600)";

    private static JooldConfigException Error(CredentialFiles files, string key, string path, string problem, string expected) =>
        new(files.Source, key, $"\"{path}\" ({problem})", expected);

    /// <summary>With the limits of a configuration file: a FIFO or a device named by mistake never blocks a start.</summary>
    private static string ReadText(CredentialFiles files, string key, string path, string expected) =>
        ConfigSection.ReadFile(files.Source, key, path, expected);

    private static X509Certificate2Collection ImportCertificates(CredentialFiles files, string key, string path, string pem, string expected)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw Error(files, key, path, $"not valid PEM: {e.Message.TrimEnd('.')}", expected);
        }

        return certificates.Count > 0 ? certificates : throw Error(files, key, path, "holds no certificate", expected);
    }

    /// <summary>A key others can read is a key others may hold: refuse it, as ssh does.</summary>
    private static void CheckKeyPermissions(CredentialFiles files)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(files.Key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string problem = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : $"cannot be read: {e.Message}";
            throw Error(files, TlsOptions.KeyKey, files.Key, problem, KeyExpected(files));
        }

        if ((mode & GroupOrOthers) != 0)
        {
            string octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
            throw Error(files, TlsOptions.KeyKey, files.Key, $"mode {octal}: group or others may access the private key", KeyExpected(files));
        }
    }

    private static X509Certificate2 CombineWithKey(CredentialFiles files, string certificatePem, string keyPem)
    {
        if (keyPem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw Error(files, TlsOptions.KeyKey, files.Key, "the key is encrypted", KeyExpected(files));
        }

        try
        {
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            string problem = IsReadableKey(keyPem) ? $"the key does not match the certificate in '{TlsOptions.CertificateKey}'" : "holds no RSA or ECDSA private key";
            throw Error(files, TlsOptions.KeyKey, files.Key, problem, KeyExpected(files));
        }
    }

    private static bool IsReadableKey(string pem)
    {
        foreach (AsymmetricAlgorithm algorithm in (AsymmetricAlgorithm[])[RSA.Create(), ECDsa.Create()])
        {
            using (algorithm)
            {
                try
                {
                    algorithm.ImportFromPem(pem);
                    return true;
                }
                catch (Exception e) when (e is CryptographicException or ArgumentException)
                {
                    // Not this kind.
                }
            }
        }

        return false;
    }

    private static void CheckOwnCertificate(CredentialFiles files, X509Certificate2 certificate, X509Certificate2Collection intermediates, X509Certificate2Collection authorities)
    {
        var roles = new List<Oid>();
        if (files.Accepts)
        {
            roles.Add(CertificateRules.ServerAuth);
        }

        if (files.Dials)
        {
            roles.Add(CertificateRules.ClientAuth);
        }

        if (CertificateRules.CheckUsage(certificate, roles) is { } usage)
        {
            string needed = string.Join(" and ", roles.Select(r => r.FriendlyName));
            throw Error(files, TlsOptions.CertificateKey, files.Certificate, usage, $"a certificate with keyUsage digitalSignature and extendedKeyUsage {needed} (this node {Roles(files)})");
        }

        using var chain = new X509Chain { ChainPolicy = CertificateRules.ChainPolicy(authorities, intermediates) };
        if (!chain.Build(certificate))
        {
            string problem = CertificateRules.DescribeChain(chain, certificate) ?? "its chain is invalid";
            throw Error(files, TlsOptions.CertificateKey, files.Certificate, problem, $"a certificate that is valid now and chains to a CA in '{TlsOptions.CaKey}' ({files.Authorities})");
        }
    }

    private static string Roles(CredentialFiles files) => (files.Accepts, files.Dials) switch
    {
        (true, true) => "accepts and dials",
        (true, false) => "accepts",
        _ => "dials",
    };

    /// <summary>Whole days from <paramref name="now"/> to <paramref name="notAfter"/>, for messages.</summary>
    public static string DaysLeft(DateTime notAfter, DateTimeOffset now) =>
        ((int)Math.Floor((notAfter.ToUniversalTime() - now.UtcDateTime).TotalDays)).ToString(CultureInfo.InvariantCulture);
}
