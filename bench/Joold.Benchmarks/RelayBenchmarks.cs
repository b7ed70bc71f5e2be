using BenchmarkDotNet.Attributes;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Benchmarks;

/// <summary>
/// The relay's hot path in process: a local source writes a 36-session batch and the benchmark waits until a
/// no-op peer sink has it, so one operation is one batch end to end (validate, count, copy, queue, pump, send).
/// </summary>
[MemoryDiagnoser]
public class RelayBenchmarks : IDisposable
{
    private const int Burst = 32;

    private readonly BenchSource _source = new();
    private NoOpPeerSink? _sink;
    private SessionRelay? _relay;
    private ISessionBatchWriter? _writer;
    private byte[] _batch = [];
    private long _sent;

    /// <summary>Whether the sink's send completes later on another thread instead of at once.</summary>
    [Params(false, true)]
    public bool AsyncSink { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batch = BenchmarkData.FullBatch();
        _sink = new NoOpPeerSink(AsyncSink);
        _relay = new SessionRelay([_source], [_sink], new JooldCounters(), NullLogger<SessionRelay>.Instance);
        _relay.Start();
        _writer = _source.Writer.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _relay?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _relay = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>One batch, waiting for it to reach the sink before the next: the pump wakes up every time.</summary>
    [Benchmark(Description = "Relay: 1 batch to peer sink")]
    public void OneBatch()
    {
        Write();
        _sink!.WaitFor(_sent);
    }

    /// <summary>Batches back to back, as after a kernel flush: the pump finds the queue non-empty.</summary>
    [Benchmark(Description = "Relay: burst of 32, per batch", OperationsPerInvoke = Burst)]
    public void BurstOfBatches()
    {
        for (int i = 0; i < Burst; i++)
        {
            Write();
        }

        _sink!.WaitFor(_sent);
    }

    private void Write()
    {
        var pending = _writer!.WriteAsync(_batch, CancellationToken.None);
        if (!pending.IsCompletedSuccessfully || pending.Result != RelayResult.Accepted)
        {
            throw new InvalidOperationException("The relay did not accept the batch.");
        }

        _sent++;
    }
}
