using System.Net;
using System.Net.Sockets;
using Joold.Plugins.Unicast;
using Joold.Stats;
using Joold.Transports.Conformance;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Plugins.Tests;

[CollectionDefinition(nameof(ConformanceCollection), DisableParallelization = true)]
public sealed class ConformanceCollection
{
}

/// <summary>
/// The transport conformance suite over UDP unicast on loopback, in a network namespace of the test's own so the
/// two nodes keep their ports across restarts: A on 127.0.0.1:7000, B on 127.0.0.1:7001, each the other's peer.
/// </summary>
[Collection(nameof(ConformanceCollection))]
public sealed class UnicastConformanceTests : TransportConformanceTests
{
    private static readonly IPEndPoint A = new(IPAddress.Loopback, 7000);
    private static readonly IPEndPoint B = new(IPAddress.Loopback, 7001);
    private static readonly IPEndPoint Taken = new(IPAddress.Loopback, 7002);
    private PrivateNetwork? _network;
    private Socket? _holder;

    // 65,535 minus the IPv4 and UDP headers.
    protected override TransportCapabilities Capabilities => new() { MaxBatchBytes = 65507, PeerGone = PeerGone.Lost };

    protected override async ValueTask SetUpAsync()
    {
        _network = await PrivateNetwork.CreateAsync();
        _holder = await _network.RunAsync(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(Taken);
            return socket;
        });
    }

    protected override ValueTask TearDownAsync()
    {
        _holder?.Dispose();
        _network?.Dispose();
        return ValueTask.CompletedTask;
    }

    protected override TransportNode CreateNode(NodeName name, ITransportCounters counters) =>
        name == NodeName.A ? NodeOn(A, B) : NodeOn(B, A);

    protected override TransportNode CreateNodeThatCannotStart(ITransportCounters counters) => NodeOn(Taken, A);

    private TransportNode NodeOn(IPEndPoint listen, IPEndPoint peer) =>
        TransportNode.Of(
            new UnicastTransport(new UnicastSettings(listen, [peer], UnicastSettings.DefaultReceiveBuffer), NullLogger<UnicastTransport>.Instance),
            (transport, cancellationToken) => new ValueTask(_network!.RunAsync(() => transport.StartAsync(cancellationToken).AsTask().GetAwaiter().GetResult())));
}
