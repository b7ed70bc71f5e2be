using Joold.Nats.Tests.Support;
using Joold.Plugins.Nats;
using Joold.Stats;
using Joold.Transports.Conformance;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Joold.Nats.Tests;

[CollectionDefinition(nameof(ConformanceCollection), DisableParallelization = true)]
public sealed class ConformanceCollection
{
}

/// <summary>
/// The transport conformance suite over NATS JetStream: one nats-server per test, nodes A and B of one group. A
/// restarted node keeps its durable consumer, so batches sent while it was gone wait in the stream.
/// </summary>
[Collection(nameof(ConformanceCollection))]
public sealed class NatsConformanceTests : TransportConformanceTests
{
    private const string Group = "conformance";
    private NatsCluster? _cluster;

    // The server's max_payload is 1 MiB, headers included. Allocations: the NATS client's, measured here at about
    // 4,500 bytes a batch for A's publish, A reading its own batch back (NATS 2.9 cannot filter it out) and B's
    // consume, all acknowledged (AllocationTests splits the figure); one more copy of a full batch would show.
    protected override TransportCapabilities Capabilities => new()
    {
        MaxBatchBytes = 1_000_000,
        PeerGone = PeerGone.Queued,
        CarriesEmptyPayloads = true,
        AllocatedBytesPerBatch = 5000,
    };

    protected override async ValueTask SetUpAsync()
    {
        _cluster = await NatsCluster.StartSingleAsync();

        // For the node that cannot start: a stream that does not store the group's subjects.
        await using var client = _cluster.Connect();
        await new NatsJSContext(client).CreateStreamAsync(new StreamConfig("OTHER", ["other.>"]), Token);
    }

    protected override async ValueTask TearDownAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    protected override TransportNode CreateNode(NodeName name, ITransportCounters counters) =>
        TransportNode.Of(new NatsTransport(NatsNode.Settings(_cluster!, name == NodeName.A ? "a" : "b", Group), null, NullLogger<NatsTransport>.Instance));

    protected override TransportNode CreateNodeThatCannotStart(ITransportCounters counters) =>
        TransportNode.Of(new NatsTransport(NatsNode.Settings(_cluster!, "c", Group, stream: "OTHER"), null, NullLogger<NatsTransport>.Instance));
}
