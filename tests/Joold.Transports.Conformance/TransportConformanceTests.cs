using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Xunit.v3;

namespace Joold.Transports.Conformance;

/// <summary>
/// The rules every network transport follows (see <see cref="IJooldComponent"/>, <see cref="ISessionSource"/> and
/// <see cref="ISessionSink"/>), written once as tests. A transport joins with one small derived class that says
/// what it can do (<see cref="Capabilities"/>) and how to make its two nodes (<see cref="CreateNode"/>); see
/// README.md. The derived class must be in a test collection that disables parallelization: the suite counts
/// the process's sockets, timers, threads and allocations.
/// </summary>
/// <remarks>
/// Node A and node B are each other's peers. The suite runs each node's source into a <see cref="ProbeWriter"/>,
/// which counts and validates exactly as the relay's writer does, and sends through each node's sink one batch at
/// a time, as a relay pump does. Every wait has a deadline; nothing sleeps.
/// </remarks>
public abstract partial class TransportConformanceTests : IAsyncLifetime
{
    private readonly List<TransportNode> _nodes = [];
    private readonly List<RunningNode> _running = [];

    /// <summary>What the transport carries and how it behaves when its peer is gone.</summary>
    protected abstract TransportCapabilities Capabilities { get; }

    /// <summary>The token of the running test.</summary>
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>
    /// A new, unstarted transport for node <paramref name="name"/>, whose peer is the other node. Called again for
    /// the same name after the previous one was disposed, to restart the node: give it the same settings (address,
    /// port, group) every time. <paramref name="counters"/> is for what the transport counts itself (framing it
    /// rejects below the relay); pass it if the transport takes one.
    /// </summary>
    protected abstract TransportNode CreateNode(NodeName name, ITransportCounters counters);

    /// <summary>
    /// A new, unstarted node whose start fails because of its environment (its port is taken, its interface or
    /// server does not exist, ...). Whatever makes it fail is set up here, before the suite counts resources.
    /// </summary>
    protected abstract TransportNode CreateNodeThatCannotStart(ITransportCounters counters);

    /// <summary>Before each test: what the nodes need (network namespaces, a server, certificates).</summary>
    protected virtual ValueTask SetUpAsync() => ValueTask.CompletedTask;

    /// <summary>After each test, once every node is disposed.</summary>
    protected virtual ValueTask TearDownAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Puts <paramref name="bytes"/> on the wire from <paramref name="from"/> to its peer exactly as given, even
    /// when they are no valid container. By default the node's sink sends them as a batch; a transport whose sink
    /// refuses invalid batches overrides this to inject them below its own checks.
    /// </summary>
    protected virtual ValueTask<bool> SendRawAsync(TransportNode from, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        return from.Sink.SendAsync(new SessionBatch(bytes, SessionSide.Local), cancellationToken);
    }

    async ValueTask IAsyncLifetime.InitializeAsync()
    {
        if (TestContext.Current.TestCollection is IXunitTestCollection { DisableParallelization: false } collection)
        {
            throw new InvalidOperationException(
                $"{GetType().Name} must run alone: put it in a [Collection] whose [CollectionDefinition] sets DisableParallelization = true " +
                $"(it is in '{collection.TestCollectionDisplayName}'). The suite counts the process's sockets, timers, threads and allocations.");
        }

        await SetUpAsync();
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        try
        {
            foreach (var running in _running)
            {
                await running.StopAsync();
            }

            foreach (var node in _nodes)
            {
                await node.DisposeAsync();
            }
        }
        finally
        {
            await TearDownAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A new node, disposed at the end of the test whatever happens.</summary>
    private TransportNode NewNode(NodeName name, JooldCounters counters)
    {
        var node = CreateNode(name, counters);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Creates and starts a node and runs its source into <paramref name="writer"/> (a probe by default).</summary>
    private async Task<RunningNode> StartAsync(NodeName name, ISessionBatchWriter? writer = null)
    {
        var counters = new JooldCounters();
        var node = NewNode(name, counters);
        await node.StartAsync(Token);
        var running = new RunningNode(node, counters, writer ?? new ProbeWriter(counters));
        _running.Add(running);
        return running;
    }

    /// <summary>Starts both nodes and waits until each reaches the other (a connection-oriented transport may need a moment).</summary>
    private async Task<(RunningNode A, RunningNode B)> StartPairAsync()
    {
        var a = await StartAsync(NodeName.A);
        var b = await StartAsync(NodeName.B);
        await ConnectAsync(a, b);
        return (a, b);
    }

    /// <summary>
    /// Sends a warm-up batch each way until it arrives, then lets the probes ignore those batches, so a test sees
    /// only its own. Lossy transports lose nothing here in practice; a transport that connects gets its time.
    /// </summary>
    private static async Task ConnectAsync(RunningNode a, RunningNode b)
    {
        foreach (var (from, to) in new[] { (a, b), (b, a) })
        {
            byte[] hello = ConformanceBatches.Valid(1);
            to.Received!.Ignore(hello);
            await SendUntilReceivedAsync(from, to, hello, () => to.Counters.GetSnapshot().NetReceivedPackets > 0, $"{from.Node.Source.Name} to reach {to.Node.Source.Name}");
        }
    }

    /// <summary>Sends <paramref name="batch"/> one send at a time, as a pump does, until <paramref name="arrived"/> holds.</summary>
    private static async Task SendUntilReceivedAsync(RunningNode from, RunningNode to, byte[] batch, Func<bool> arrived, string what)
    {
        Task<bool> sending = Task.FromResult(false);
        await Eventually.WaitAsync(
            () =>
            {
                if (arrived())
                {
                    return true;
                }

                if (sending.IsCompleted)
                {
                    sending = from.SendAsync(batch, Token).AsTask();
                }

                return false;
            },
            what);
        await Deadline.WaitAsync(sending, "the last send to end");
    }

    /// <summary>Sends one batch and waits until the peer forwarded it.</summary>
    private static async Task CrossAsync(RunningNode from, RunningNode to, byte[] batch, string what)
    {
        Assert.True(await Deadline.WaitAsync(from.SendAsync(batch, Token), $"the send of {what}"), $"the send of {what} was refused");
        await to.Received!.WaitForAsync(batch, what);
    }
}
