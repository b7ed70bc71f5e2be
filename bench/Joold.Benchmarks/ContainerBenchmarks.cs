using BenchmarkDotNet.Attributes;
using Joold.Sessions;

namespace Joold.Benchmarks;

/// <summary>What the relay does to every batch before forwarding it.</summary>
[MemoryDiagnoser]
public class ContainerBenchmarks
{
    private byte[] _batch = [];

    [GlobalSetup]
    public void Setup() => _batch = BenchmarkData.FullBatch();

    [Benchmark(Description = "Validate 36-session container")]
    public ContainerValidation Validate() => SessionContainer.Validate(_batch);
}
