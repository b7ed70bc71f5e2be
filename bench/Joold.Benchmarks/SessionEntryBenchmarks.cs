using BenchmarkDotNet.Attributes;
using Joold.Sessions;

namespace Joold.Benchmarks;

/// <summary>Decoding and encoding one session (not on the relay's path, which forwards bytes undecoded).</summary>
[MemoryDiagnoser]
public class SessionEntryBenchmarks
{
    private readonly byte[] _payload = new byte[SessionEntry.SerializedSize];
    private SessionEntry _session;

    [GlobalSetup]
    public void Setup()
    {
        var batch = BenchmarkData.FullBatch();
        SessionContainer.EntryPayload(batch, 0).CopyTo(_payload);
        _session = SessionEntry.Read(_payload);
    }

    [Benchmark(Description = "SessionEntry.Read")]
    public SessionEntry Read() => SessionEntry.Read(_payload);

    [Benchmark(Description = "SessionEntry.Write")]
    public byte Write()
    {
        _session.Write(_payload);
        return _payload[35];
    }
}
