using Joold.Plugins.Multicast;
using Joold.Stats;
using Joold.Testing.Namespaces;
using Joold.Transports.Conformance;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Multicast.Tests;

[CollectionDefinition(nameof(ConformanceCollection), DisableParallelization = true)]
public sealed class ConformanceCollection
{
}

/// <summary>
/// The transport conformance suite over real multicast between two network namespaces: node A and node B are
/// each a namespace on one LAN, each with a transport joined to the same group.
/// </summary>
public abstract class MulticastConformanceTests : TransportConformanceTests
{
    private TestNetwork? _network;

    protected abstract bool Ipv6 { get; }

    // 65,535 minus the UDP header, and for IPv4 the IP header too.
    protected override TransportCapabilities Capabilities => new() { MaxBatchBytes = Ipv6 ? 65527 : 65507, PeerGone = PeerGone.Lost };

    protected override async ValueTask SetUpAsync() => _network = await TestNetwork.CreateAsync(nodes: 2);

    protected override async ValueTask TearDownAsync()
    {
        if (_network is not null)
        {
            await _network.DisposeAsync();
        }
    }

    protected override TransportNode CreateNode(NodeName name, ITransportCounters counters) =>
        NodeIn(_network!.Nodes[(int)name], Peer.Options(Ipv6));

    protected override TransportNode CreateNodeThatCannotStart(ITransportCounters counters) =>
        NodeIn(_network!.Nodes[0], Peer.Options(Ipv6, inInterface: Ipv6 ? "nosuchif0" : "203.0.113.250"));

    /// <summary>A transport whose socket is opened inside <paramref name="node"/>'s namespace (its start is synchronous).</summary>
    private static TransportNode NodeIn(TestNode node, MulticastOptions options) =>
        TransportNode.Of(
            new MulticastTransport(options, NullLogger<MulticastTransport>.Instance),
            (transport, cancellationToken) => new ValueTask(NetnsThread.RunAsync(
                node.NamespacePath,
                () => transport.StartAsync(cancellationToken).AsTask().GetAwaiter().GetResult())));
}

[Collection(nameof(ConformanceCollection))]
public sealed class MulticastIpv4ConformanceTests : MulticastConformanceTests
{
    protected override bool Ipv6 => false;
}

[Collection(nameof(ConformanceCollection))]
public sealed class MulticastIpv6ConformanceTests : MulticastConformanceTests
{
    protected override bool Ipv6 => true;
}
