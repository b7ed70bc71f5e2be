using System.Diagnostics.Tracing;
using Joold.Nats.Tests.Support;
using Joold.Plugins.Nats;
using Joold.Relay;
using Joold.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Joold.Nats.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection
{
}

/// <summary>
/// What one batch costs in allocations, measured process-wide over many batches once warm. The plugin's own
/// part is one string per published batch (its message id: the client takes header values as strings); the rest
/// is the NATS client's, whose request/reply and message objects are classes. These tests pin both directions
/// under a bound so a regression shows, and print the figures (and the sampled types) the README quotes.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests(ITestOutputHelper output)
{
    private const int Warmup = 2000;
    private const int Measured = 6000;
    private const int Rounds = 3;
    private const int Window = 64;
    private const long PublishBound = 2400;
    private const long ConsumeBound = 900;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publishing_a_batch_allocates_only_what_the_client_needs()
    {
        await using var cluster = await NatsCluster.StartSingleAsync();
        await using var transport = new NatsTransport(NatsNode.Settings(cluster, "a", "alloc-pub"), null, NullLogger<NatsTransport>.Instance);
        await transport.StartAsync(Token);
        var batch = new SessionBatch(TestSessions.Unique(36), SessionSide.Local);

        // In windows of 64, as a relay fills the buffer, waiting between windows (a few polls per window, a few
        // bytes per batch) rather than spinning, which would allocate in proportion to the machine's load.
        async Task PublishAsync(int count)
        {
            for (int sent = 0; sent < count; sent += Window)
            {
                int window = Math.Min(Window, count - sent);
                long target = transport.Published + window;
                for (int i = 0; i < window; i++)
                {
                    Assert.True(await transport.SendAsync(batch, Token));
                }

                await Eventually.WaitAsync(() => transport.Published >= target, "a window of batches published");
            }
        }

        await PublishAsync(Warmup);
        using var types = new AllocationTypes();
        long perBatch = long.MaxValue;
        for (int round = 0; round < Rounds; round++)
        {
            // The least allocated round: another test's leftovers or the runtime's own work only ever add.
            long before = GC.GetTotalAllocatedBytes(precise: true);
            await PublishAsync(Measured / Rounds);
            perBatch = Math.Min(perBatch, (GC.GetTotalAllocatedBytes(precise: true) - before) / (Measured / Rounds));
        }

        output.WriteLine($"publish: {perBatch} bytes allocated per batch; sampled types: {types}");

        // Measured: about 1,900 bytes, the client's request/reply (its async state, reply task, timeout timer,
        // inbox subject) and the plugin's message id string. A copy of the batch (1,440 bytes) would show.
        Assert.InRange(perBatch, 1, PublishBound);
    }

    [Fact]
    public async Task Consuming_and_acknowledging_a_batch_allocates_only_what_the_client_needs()
    {
        const int Settle = 1000;
        const int Total = Warmup + Settle + Measured;
        await using var cluster = await NatsCluster.StartSingleAsync();
        byte[] batch = TestSessions.Unique(36);
        await using (var client = cluster.Connect())
        {
            var jetStream = new NatsJSContext(client);
            await jetStream.CreateStreamAsync(new StreamConfig("JOOLD", ["joold.>"]), Token);
            for (int i = 0; i < Total; i++)
            {
                // A core publish: the stream stores it without an answer, so filling it is quick.
                await client.PublishAsync("joold.alloc-sub.other", batch, cancellationToken: Token);
            }

            await Eventually.ValueAsync(async () => (await jetStream.GetStreamAsync("JOOLD", cancellationToken: Token)).Info.State.Messages, n => n == Total, $"{Total} messages in the stream");
        }

        await using var transport = new NatsTransport(NatsNode.Settings(cluster, "b", "alloc-sub"), null, NullLogger<NatsTransport>.Instance);
        await transport.StartAsync(Token);
        var writer = new GatedWriter(Warmup);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var running = transport.RunAsync(writer, stop.Token);

        // The writer holds the warm-up's last batch while the client fills its prefetch (at most 256 messages); the
        // measure starts a settling stretch after the gate opens, once the flow is steady again.
        await Eventually.WaitAsync(() => writer.Count >= Warmup, "the warm-up batches consumed");
        writer.Open();
        await Eventually.WaitAsync(() => writer.Count >= Warmup + Settle, "the flow to settle");
        using var types = new AllocationTypes();
        long perBatch = long.MaxValue;
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        long consumed = writer.Count;
        for (int round = 1; round <= Rounds; round++)
        {
            // The least allocated round, read as the count passes each mark (a few polls per round).
            await Eventually.WaitAsync(() => writer.Count >= Warmup + Settle + (round * Measured / Rounds), "a round of batches consumed", TimeSpan.FromMinutes(1));
            long nowBytes = GC.GetTotalAllocatedBytes(precise: true);
            long nowConsumed = writer.Count;
            perBatch = Math.Min(perBatch, (nowBytes - bytes) / Math.Max(1, nowConsumed - consumed));
            (bytes, consumed) = (nowBytes, nowConsumed);
        }

        await Eventually.WaitAsync(() => transport.Acknowledged >= Total, "every batch acknowledged", TimeSpan.FromMinutes(1));
        await stop.CancelAsync();
        await running;

        output.WriteLine($"consume: {perBatch} bytes allocated per batch; sampled types: {types}");

        // Measured: 540 to 650 bytes, the client's message (boxed behind its interface, with a lazy metadata
        // parser) and its subject and reply strings; the payload goes to the plugin's own pool.
        Assert.InRange(perBatch, 1, ConsumeBound);
    }

    /// <summary>Accepts every batch, but holds the <c>gateAt</c>-th until <see cref="Open"/>.</summary>
    private sealed class GatedWriter(long gateAt) : ISessionBatchWriter
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public void Open() => _gate.TrySetResult();

        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
        {
            return Interlocked.Increment(ref _count) == gateAt ? WaitAsync() : ValueTask.FromResult(RelayResult.Accepted);

            async ValueTask<RelayResult> WaitAsync()
            {
                await _gate.Task;
                return RelayResult.Accepted;
            }
        }
    }

    /// <summary>The runtime's allocation samples (one per ~100 KB), by type: where the bytes go.</summary>
    private sealed class AllocationTypes : EventListener
    {
        private readonly Dictionary<string, int> _samples = [];

        public override string ToString()
        {
            lock (_samples)
            {
                return string.Join(", ", _samples.OrderByDescending(p => p.Value).Take(12).Select(p => $"{p.Key} {p.Value}"));
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && eventData.Payload is { } payload)
            {
                int index = eventData.PayloadNames!.IndexOf("TypeName");
                string type = index >= 0 ? payload[index]?.ToString() ?? "?" : "?";
                lock (_samples)
                {
                    _samples[type] = _samples.GetValueOrDefault(type) + 1;
                }
            }
        }
    }
}
