namespace Joold.Plugins.Tls.Credentials;

/// <summary>Where the TLS material comes from, and which roles this node's certificate must allow.</summary>
/// <param name="Source">The configuration file, for messages.</param>
/// <param name="Certificate">The "certificate" file.</param>
/// <param name="Key">The "key" file.</param>
/// <param name="Authorities">The "ca" file.</param>
/// <param name="Accepts">The node listens: its certificate needs serverAuth.</param>
/// <param name="Dials">The node dials: its certificate needs clientAuth.</param>
public sealed record CredentialFiles(string Source, string Certificate, string Key, string Authorities, bool Accepts, bool Dials);
