using System.Net;
using System.Net.Sockets;
using Joold.Plugins.Tls;
using Joold.Stats;
using Joold.Testing;
using Joold.Tls.Tests.Support;
using Joold.Transports.Conformance;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Tls.Tests;

[CollectionDefinition(nameof(ConformanceCollection), DisableParallelization = true)]
public sealed class ConformanceCollection
{
}

/// <summary>
/// The transport conformance suite over Tls on loopback: A and B listen on two ports picked once per test (so a
/// restarted node gets its own back) and each dials the other, with certificates of a test CA. Batches sent while
/// the peer is gone wait in the sender's queue and arrive, in order, once it is back.
/// </summary>
[Collection(nameof(ConformanceCollection))]
public sealed class TlsConformanceTests : TransportConformanceTests
{
    private static readonly TlsTimings Timings = TlsNode.FastTimings;
    private TestPki? _pki;
    private NodeCertificate? _certificateA;
    private NodeCertificate? _certificateB;
    private int _portA;
    private int _portB;
    private Socket? _holder;

    protected override TransportCapabilities Capabilities =>
        new() { MaxBatchBytes = Plugins.Tls.Protocol.FrameCodec.MaxContainer, PeerGone = PeerGone.Queued, CarriesEmptyPayloads = false };

    protected override ValueTask SetUpAsync()
    {
        _pki = new TestPki();
        _certificateA = _pki.Issue("a");
        _certificateB = _pki.Issue("b");
        _portA = FreePort();
        _portB = FreePort();

        // A port in use, for the node that cannot start.
        _holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _holder.Listen(1);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask TearDownAsync()
    {
        _holder?.Dispose();
        _pki?.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override TransportNode CreateNode(NodeName name, ITransportCounters counters) =>
        name == NodeName.A ? Node(_certificateA!, _portA, _portB, counters) : Node(_certificateB!, _portB, _portA, counters);

    protected override TransportNode CreateNodeThatCannotStart(ITransportCounters counters) =>
        Node(_certificateA!, ((IPEndPoint)_holder!.LocalEndPoint!).Port, _portB, counters);

    private static TransportNode Node(NodeCertificate certificate, int listen, int peer, ITransportCounters counters)
    {
        var settings = TlsSettings.FromOptions(
            new TlsOptions
            {
                Listen = $"127.0.0.1:{listen}",
                Peers = [$"127.0.0.1:{peer}"],
                Certificate = certificate.CertificateFile,
                Key = certificate.KeyFile,
                Ca = certificate.CaFile,
            },
            "/test/tls.json");
        var services = new ServiceCollection().AddSingleton(counters).BuildServiceProvider();
        return TransportNode.Of(new TlsTransport(settings, new RecordingLogger<TlsTransport>(), services, TimeProvider.System, credentials: null, Timings));
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
