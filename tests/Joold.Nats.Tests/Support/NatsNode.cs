using Joold.Plugins.Nats;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Nats.Tests.Support;

/// <summary>One gateway in process, as production composes it: a recording kernel, the Nats transport and a relay.</summary>
internal sealed class NatsNode : IAsyncDisposable
{
    private NatsNode(NatsSettings settings)
    {
        Kernel = new RecordingKernel($"{settings.Node} kernel");
        Transport = new NatsTransport(settings, Counters, Logger);
        Relay = new SessionRelay([Kernel, Transport], [Kernel, Transport], Counters, NullLogger<SessionRelay>.Instance);
    }

    public JooldCounters Counters { get; } = new();

    public RecordingLogger<NatsTransport> Logger { get; } = new();

    public RecordingKernel Kernel { get; }

    public NatsTransport Transport { get; }

    public SessionRelay Relay { get; }

    public StatsSnapshot Stats => Counters.GetSnapshot();

    /// <summary>Settings for gateway <paramref name="node"/> of group <paramref name="instance"/> on <paramref name="cluster"/>.</summary>
    public static NatsSettings Settings(NatsCluster cluster, string node, string instance, string stream = "JOOLD", int buffer = NatsSettings.DefaultBuffer, int replicas = 1) => new()
    {
        Servers = cluster.Urls,
        Node = node,
        Instance = instance,
        Stream = stream,
        Buffer = buffer,
        Replicas = replicas,
    };

    public static async Task<NatsNode> StartAsync(NatsSettings settings)
    {
        var node = new NatsNode(settings);
        try
        {
            await node.Transport.StartAsync(TestContext.Current.CancellationToken);
            node.Relay.Start();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Emits every batch from the kernel and waits until the stream acknowledged them all.</summary>
    public async Task PublishAsync(IEnumerable<byte[]> batches)
    {
        long before = Transport.Published;
        int count = 0;
        foreach (byte[] batch in batches)
        {
            Kernel.Emit(batch);
            count++;
        }

        await Eventually.WaitAsync(() => Transport.Published >= before + count, $"{count} batches of {Transport.Settings.Node} acknowledged by the stream");
    }

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        await Transport.DisposeAsync();
    }
}
