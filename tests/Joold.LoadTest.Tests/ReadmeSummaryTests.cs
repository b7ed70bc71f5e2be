using Joold.FakeKernel;

namespace Joold.LoadTest.Tests;

public class ReadmeSummaryTests
{
    private static readonly LoadOptions Options = LoadOptions.Parse(["--reference", "/opt/c/joold", "--rounds", "2"]);

    [Fact]
    public void A_row_has_both_daemons_medians_and_the_cpu_ratios()
    {
        var scenario = Scenario.Parse("--scenarios", "rate1000-36-v6").Single();
        RoundResult[] runs =
        [
            new(scenario, "C joold", 1, Result(1000, cpuA: 20_000_000, cpuB: 8_000_000), "1.00 0.5 0.2", null),
            new(scenario, "Joold", 1, Result(1000, cpuA: 30_000_000, cpuB: 12_000_000), "3.00 0.5 0.2", null),
            new(scenario, "C joold", 2, Result(1000, cpuA: 22_000_000, cpuB: 8_000_000), "2.00 0.5 0.2", null),
            new(scenario, "Joold", 2, Result(1000, cpuA: 33_000_000, cpuB: 12_000_000), "2.00 0.5 0.2", null),
        ];

        string summary = ReadmeSummary.Format(Options, runs, "2 CPUs (test)", "abc1234", "Floor: line", new DateTime(2026, 11, 30, 22, 0, 0, DateTimeKind.Utc));

        Assert.Contains("| rate1000-36-v6 | 1,000 / 1,000 | 21.0 | 31.5 | 1.50 | 8.0 | 12.0 | 1.50 |", summary, StringComparison.Ordinal);
        Assert.Contains("Measured 2026-11-30 22:00 UTC on 2 CPUs (test); Joold at abc1234", summary, StringComparison.Ordinal);
        Assert.Contains("2 alternated rounds", summary, StringComparison.Ordinal);
        Assert.Contains("load average 1.0 to 3.0 (median 2.0)", summary, StringComparison.Ordinal);
        Assert.EndsWith("Floor: line\n", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Joold_alone_scenario_has_dashes_for_C_joold_and_its_ratios()
    {
        var scenario = Scenario.Parse("--scenarios", "paced36-unicast").Single();
        RoundResult[] runs = [new(scenario, "Joold", 1, Result(1000, cpuA: 30_000_000, cpuB: 12_000_000), "1.00 0.5 0.2", null)];

        string summary = ReadmeSummary.Format(Options, runs, "m", "c", "f", DateTime.UtcNow);

        Assert.Contains("| paced36-unicast | – / 1,000 | – | 30.0 | – | – | 12.0 | – |", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Failed_runs_count_in_the_load_average_but_not_in_the_medians()
    {
        var scenario = Scenario.Parse("--scenarios", "paced1-v4").Single();
        RoundResult[] runs =
        [
            new(scenario, "C joold", 1, null, "9.00 1 1", "it broke"),
            new(scenario, "C joold", 2, Result(1000, cpuA: 10_000_000, cpuB: 5_000_000), "1.00 1 1", null),
            new(scenario, "Joold", 1, Result(1000, cpuA: 20_000_000, cpuB: 5_000_000) with { Warmup = "warm-up: 8.0 s, NOT settled: ..." }, "1.00 1 1", null),
        ];

        string summary = ReadmeSummary.Format(Options, runs, "m", "c", "f", DateTime.UtcNow);

        Assert.Contains("| paced1-v4 | 1,000 / 1,000 | 10.0 | 20.0 | 2.00 | 5.0 | 5.0 | 1.00 |", summary, StringComparison.Ordinal);
        Assert.Contains("load average 1.0 to 9.0", summary, StringComparison.Ordinal);
        Assert.Contains("(measured anyway): 1 of 2 runs; failed runs: 1.", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.52 0.40 0.33", 0.52)]
    [InlineData("unknown", double.NaN)]
    public void The_one_minute_load_is_read(string loadAverage, double expected) =>
        Assert.Equal(expected, ReadmeSummary.ParseLoad(loadAverage));

    private static LoadResult Result(long batches, long cpuA, long cpuB)
    {
        var zero = new CpuSample(0, 0, 0, 0);
        var before = new Snapshot(zero, zero, new JooldKernelStats(), new JooldKernelStats(), default, default, default, default);
        var after = before with
        {
            CpuA = new CpuSample(0, 0, batches, cpuA),
            CpuB = new CpuSample(0, 0, batches, cpuB),
            KernelA = new JooldKernelStats { PktSent = batches, SssSent = batches * 36 },
            KernelB = new JooldKernelStats { PktRcvd = batches, SssRcvd = batches * 36 },
        };
        return new LoadResult(Options with { Batches = (int)batches }, "test rig", before, after, TimeSpan.FromSeconds(1), 0)
        {
            Latency = new Latency((int)batches, 60, 900, 2_000) { SentPerSecond = 1000 },
            MemoryA = new MemorySample(2_560, 256),
            MemoryB = new MemorySample(2_560, 256),
        };
    }
}
