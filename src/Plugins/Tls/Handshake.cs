using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Joold.Diagnostics;
using Joold.Plugins.Tls.Credentials;

namespace Joold.Plugins.Tls;

/// <summary>
/// TLS 1.3 with mutual authentication, both ways: the accepting side demands a client certificate and checks it
/// (chain to "ca", keyUsage, clientAuth); the dialing side checks the server's (chain, keyUsage, serverAuth, and a
/// DNS or IP name matching the host it dialed). A failed check throws <see cref="PeerRefusedException"/> with the
/// reason in words.
/// </summary>
internal static class Handshake
{
    /// <summary>Options every socket of the transport gets: no Nagle delay (frames are coalesced already), keepalive.</summary>
    public static void Configure(Socket socket)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
    }

    /// <summary>Authenticates an accepted socket as the server. The stream owns the socket.</summary>
    public static async Task<SslStream> AcceptAsync(Socket socket, TlsCredentials credentials, CancellationToken cancellationToken)
    {
        string? refusal = null;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            Configure(socket);
        }
        catch (SocketException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = credentials.Context,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = CertificateRules.ChainPolicy(credentials.Authorities),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                refusal = CertificateRules.CheckPeer(certificate, chain, errors, CertificateRules.ClientAuth, dialedHost: null);
                return refusal is null;
            },
        };
        try
        {
            await stream.AuthenticateAsServerAsync(options, cancellationToken).ConfigureAwait(false);
            return stream;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new PeerRefusedException(refusal ?? $"the TLS handshake failed: {Innermost(e)}", e);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects to <paramref name="target"/> (each address its name resolves to, in turn) and authenticates as the client.</summary>
    public static async Task<(Socket Socket, SslStream Stream)> DialAsync(HostPort target, TlsCredentials credentials, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = target.Address is { } literal ? [literal] : await ResolveAsync(target.Host, cancellationToken).ConfigureAwait(false);
        // Dual-stack where the system has IPv6, so a name with IPv4 and IPv6 addresses can use either.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            Configure(socket);
            await socket.ConnectAsync(addresses, target.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        string? refusal = null;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = target.Host,
            ClientCertificateContext = credentials.Context,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = CertificateRules.ChainPolicy(credentials.Authorities),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                refusal = CertificateRules.CheckPeer(certificate, chain, errors, CertificateRules.ServerAuth, target.Host);
                return refusal is null;
            },
        };
        try
        {
            await stream.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return (socket, stream);
        }
        catch (IOException) when (refusal is null)
        {
            // The connection went (reset, or closed by a server restarting) before any certificate was judged: a
            // dial failure, retried and logged as such, not a refusal of the peer.
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new PeerRefusedException(refusal ?? $"the TLS handshake failed: {Innermost(e)}", e);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot resolve {host}: {SocketText.Describe(e)}");
        }

        return addresses.Length > 0 ? addresses : throw new IOException($"cannot resolve {host}: no address");
    }

    /// <summary>The most specific message of an exception chain ("the remote party closed the connection", an OpenSSL alert).</summary>
    public static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message.TrimEnd('.');
    }
}
