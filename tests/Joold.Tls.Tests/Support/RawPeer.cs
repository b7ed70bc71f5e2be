using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Joold.Plugins.Tls.Protocol;

namespace Joold.Tls.Tests.Support;

/// <summary>
/// A hand-made TLS peer for tests that a real node would refuse or that misbehaves: connects (or accepts one
/// connection) with whatever certificate and protocol it is given, trusts anything, and sends raw frames.
/// </summary>
#pragma warning disable CA5359 // A test peer trusts anything on purpose: it plays the intruder, not the node.
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _stream;
    private readonly List<(FrameType Type, ulong Number, byte[] Container)> _frames = [];
    private readonly byte[] _pending = new byte[2 * FrameCodec.MaxFrame];
    private int _filled;

    private RawPeer(Socket socket, SslStream stream)
    {
        _socket = socket;
        _stream = stream;
    }

    /// <summary>Loads a node's certificate and key, for <see cref="DialAsync"/> and <see cref="ListenAsync"/>.</summary>
    public static X509Certificate2 Load(NodeCertificate node) => X509Certificate2.CreateFromPemFile(node.CertificateFile, node.KeyFile);

    /// <summary>Dials <paramref name="server"/> as a client presenting <paramref name="certificate"/> (none when null).</summary>
    public static async Task<RawPeer> DialAsync(IPEndPoint server, X509Certificate2? certificate, SslProtocols protocols = SslProtocols.Tls13)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server);
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            ClientCertificates = certificate is null ? null : [certificate],
            LocalCertificateSelectionCallback = certificate is null ? null : (_, _, _, _, _) => certificate,
        };
        await stream.AuthenticateAsClientAsync(options, TestContext.Current.CancellationToken);
        return new RawPeer(socket, stream);
    }

    /// <summary>A one-connection TLS server presenting <paramref name="certificate"/>; completes with the peer once a client came.</summary>
    public static (IPEndPoint EndPoint, Task<RawPeer?> Accepted) ListenAsync(X509Certificate2 certificate)
    {
        var listener = new RawListener(certificate);
        return (listener.EndPoint, AcceptOnceAsync(listener));
    }

    /// <summary>Writes one frame made by <paramref name="write"/>; false when the other side already closed.</summary>
    public Task<bool> SendFrameAsync(Func<byte[], int> write)
    {
        var buffer = new byte[FrameCodec.MaxFrame];
        return WriteAsync(buffer[..write(buffer)]);
    }

    /// <summary>Writes a HELLO then a BATCH frame; false when the other side already closed.</summary>
    public async Task<bool> SendHelloAndBatchAsync(byte[] container, ulong incarnation = 0x1234)
    {
        var buffer = new byte[FrameCodec.MaxFrame];
        int length = FrameCodec.WriteHello(buffer, incarnation);
        length += FrameCodec.WriteBatch(buffer.AsSpan(length), 1, container);
        return await WriteAsync(buffer[..length]);
    }

    /// <summary>Writes raw bytes; false when the other side already closed.</summary>
    public async Task<bool> WriteAsync(byte[] bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes, TestContext.Current.CancellationToken);
            await _stream.FlushAsync(TestContext.Current.CancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads frames until <paramref name="enough"/> says so (given every frame so far, as type, number and
    /// container); returns them. Throws when the other side closes first or nothing comes for 20 s.
    /// </summary>
    public async Task<List<(FrameType Type, ulong Number, byte[] Container)>> ReadFramesAsync(Func<List<(FrameType Type, ulong Number, byte[] Container)>, bool> enough)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (!enough(_frames))
        {
            var error = FrameCodec.TryParse(_pending.AsSpan(0, _filled), out var frame, out int consumed);
            Assert.Equal(FrameError.None, error);
            if (consumed > 0)
            {
                _frames.Add((frame.Type, frame.Number, _pending[frame.ContainerOffset..(frame.ContainerOffset + frame.ContainerLength)]));
                Buffer.BlockCopy(_pending, consumed, _pending, 0, _filled - consumed);
                _filled -= consumed;
                continue;
            }

            int read = await _stream.ReadAsync(_pending.AsMemory(_filled), deadline.Token);
            if (read == 0)
            {
                throw new IOException("the other side closed the connection");
            }

            _filled += read;
        }

        return _frames;
    }

    /// <summary>Reads until the other side closes; true when it did within <paramref name="timeout"/>.</summary>
    public async Task<bool> ClosedByOtherSideAsync(TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        var buffer = new byte[FrameCodec.MaxFrame];
        try
        {
            while (await _stream.ReadAsync(buffer, deadline.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }

    private static async Task<RawPeer?> AcceptOnceAsync(RawListener listener)
    {
        using (listener)
        {
            return await listener.AcceptAsync();
        }
    }

    /// <summary>A TLS server on 127.0.0.1 that accepts connections one at a time, each as a <see cref="RawPeer"/>.</summary>
    internal sealed class RawListener : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly X509Certificate2 _certificate;

        public RawListener(X509Certificate2 certificate)
        {
            _certificate = certificate;
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(8);
        }

        public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

        /// <summary>The next client, or null when the TLS handshake failed (the dialing node refused this server).</summary>
        public async Task<RawPeer?> AcceptAsync()
        {
            var socket = await _listener.AcceptAsync(TestContext.Current.CancellationToken);
            var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
            try
            {
                await stream.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _certificate,
                        ClientCertificateRequired = true,
                        EnabledSslProtocols = SslProtocols.Tls13,
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    },
                    TestContext.Current.CancellationToken);
                return new RawPeer(socket, stream);
            }
            catch (Exception e) when (e is IOException or AuthenticationException)
            {
                await stream.DisposeAsync();
                return null;
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}

#pragma warning restore CA5359
