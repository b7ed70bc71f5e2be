using Joold.Plugins.Tls;
using Joold.Relay;
using Joold.Testing;

namespace Joold.Tls.Tests.Support;

/// <summary>
/// One Tls transport in this process with a recording relay and logger: started, running, and disposed (with a
/// check that its run ended) by <see cref="DisposeAsync"/>.
/// </summary>
internal sealed class TlsNode : IAsyncDisposable
{
    /// <summary>Timings short enough for tests: quick redials.</summary>
    internal static readonly TlsTimings FastTimings = new()
    {
        ReconnectInitial = TimeSpan.FromMilliseconds(50),
        ReconnectCap = TimeSpan.FromMilliseconds(500),
        DrainTimeout = TimeSpan.FromSeconds(2),
    };

    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    private int _disposed;

    private TlsNode(TlsTransport transport, RecordingLogger<TlsTransport> logger, ISessionBatchWriter? writer)
    {
        Transport = transport;
        Logger = logger;
        Writer = writer ?? Received;
    }

    public TlsTransport Transport { get; }

    public RecordingLogger<TlsTransport> Logger { get; }

    public RecordingWriter Received { get; } = new();

    /// <summary>Where received batches go: <see cref="Received"/> unless the test gave its own.</summary>
    public ISessionBatchWriter Writer { get; }

    /// <summary>"127.0.0.1:port" of the listening socket.</summary>
    public string Address => $"127.0.0.1:{Transport.LocalEndPoint!.Port}";

    /// <summary>Builds the options from <paramref name="certificate"/>, starts the transport and its run loop.</summary>
    public static async Task<TlsNode> StartAsync(
        NodeCertificate certificate,
        string? listen = "127.0.0.1:0",
        IEnumerable<string>? peers = null,
        int? queue = null,
        IServiceProvider? services = null,
        TlsTimings? timings = null,
        double? resyncInterval = null,
        ISessionBatchWriter? writer = null)
    {
        var options = new TlsOptions
        {
            Listen = listen,
            Peers = peers?.ToArray(),
            Certificate = certificate.CertificateFile,
            Key = certificate.KeyFile,
            Ca = certificate.CaFile,
            Queue = queue,
            ResyncInterval = resyncInterval,
        };
        var settings = TlsSettings.FromOptions(options, "/test/tls.json");
        var logger = new RecordingLogger<TlsTransport>();
        var transport = new TlsTransport(settings, logger, services, TimeProvider.System, credentials: null, timings ?? FastTimings);
        var node = new TlsNode(transport, logger, writer);
        await transport.StartAsync(TestContext.Current.CancellationToken);
        node._run = Task.Run(() => transport.RunAsync(node.Writer, node._stop.Token), TestContext.Current.CancellationToken);
        return node;
    }

    /// <summary>Queues a batch for every peer, as the relay's pump would.</summary>
    public bool Send(byte[] container)
    {
        var sent = Transport.SendAsync(new SessionBatch(container, SessionSide.Local), TestContext.Current.CancellationToken);
        Assert.True(sent.IsCompletedSuccessfully, "SendAsync must not wait");
        return sent.IsCompletedSuccessfully && sent.Result;
    }

    /// <summary>Waits until one peer is connected.</summary>
    public Task WaitConnectedAsync(int peers = 1) =>
        Eventually.WaitAsync(() => Transport.Peers.Count(p => p.Connected) >= peers, $"{peers} connected peer(s) on {Transport.Name}");

    /// <summary>A graceful stop, as the daemon's; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_run is not null)
        {
            try
            {
                await _run.WithTimeout("the transport's run to end");
            }
            catch (OperationCanceledException)
            {
            }
        }

        await Transport.DisposeAsync();
        _stop.Dispose();
    }
}
