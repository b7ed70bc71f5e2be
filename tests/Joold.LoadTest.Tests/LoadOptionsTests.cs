namespace Joold.LoadTest.Tests;

public class LoadOptionsTests
{
    [Fact]
    public void Without_reference_it_runs_Joold_alone_with_the_old_defaults()
    {
        var options = LoadOptions.Parse([]);

        Assert.Null(options.Reference);
        Assert.Equal(20_000, options.Batches);
        Assert.False(options.BatchesGiven);
        Assert.Equal(3, options.Rounds);
        Assert.Equal(Scenario.All, options.Scenarios);
    }

    [Fact]
    public void Reference_rounds_and_scenarios_are_read()
    {
        var options = LoadOptions.Parse(["--reference", "/opt/joold", "--rounds", "5", "--scenarios", "paced36-v4, FLOOD-v6"]);

        Assert.Equal("/opt/joold", options.Reference);
        Assert.Equal(5, options.Rounds);
        Assert.Equal(["paced36-v4", "flood-v6"], options.Scenarios.Select(s => s.Name));
    }

    [Theory]
    [InlineData("--scenarios", "paced36-v4,nosuch", "nosuch")]
    [InlineData("--scenarios", ",", "at least one")]
    [InlineData("--rounds", "0", "--rounds")]
    [InlineData("--transport", "carrier-pigeon", "multicast6")]
    [InlineData("--mode", "warp", "rate")]
    [InlineData("--rate", "0", "--rate")]
    [InlineData("--rate", "fast", "--rate")]
    [InlineData("--warmup", "-1", "--warmup")]
    public void Bad_values_name_what_is_wrong(string option, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => LoadOptions.Parse([option, value]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_keeps_its_own_shape_unless_batches_or_warmup_are_given()
    {
        var flood = Scenario.All.Single(s => s.Name == "flood-v6");

        var own = flood.Apply(LoadOptions.Parse(["--reference", "x"]));
        var given = flood.Apply(LoadOptions.Parse(["--reference", "x", "--batches", "500", "--warmup", "10"]));

        Assert.Equal((RelayTransport.Multicast6, LoadMode.Burst, 36, 4_000, 1_000, (int?)null), (own.Transport, own.Mode, own.SessionsPerBatch, own.Batches, own.BurstSize, own.WarmupBatches));
        Assert.Equal((500, 500, (int?)10), (given.Batches, given.BurstSize, given.WarmupBatches));
    }

    [Theory]
    [InlineData("rate1000-36-v4", false, 36)]
    [InlineData("rate1000-1-v4", false, 1)]
    [InlineData("rate1000-36-v6", true, 36)]
    [InlineData("rate1000-1-v6", true, 1)]
    public void The_fixed_rate_scenarios_run_at_1000_batches_per_second_with_C_joold(string name, bool ipv6, int sessions)
    {
        var transport = ipv6 ? RelayTransport.Multicast6 : RelayTransport.Multicast;
        var scenario = Scenario.Parse("--scenarios", name).Single();

        var options = scenario.Apply(LoadOptions.Parse(["--reference", "x", "--rate", "50"]));

        Assert.True(scenario.WithReference);
        Assert.Equal((transport, LoadMode.Rate, 1000, sessions, 5_000), (options.Transport, options.Mode, options.Rate, options.SessionsPerBatch, options.Batches));
    }

    [Fact]
    public void Rate_mode_defaults_to_1000_batches_per_second_and_5000_batches()
    {
        var options = LoadOptions.Parse(["--mode", "rate"]);

        Assert.Equal((LoadMode.Rate, 1000, 5_000, (int?)null), (options.Mode, options.Rate, options.Batches, options.WarmupBatches));
        Assert.Equal(250, LoadOptions.Parse(["--mode", "RATE", "--rate", "250"]).Rate);
    }

    [Theory]
    [InlineData("paced", 20_000)]
    [InlineData("burst", 4_000)]
    [InlineData("sequential", 4_000)]
    [InlineData("rate", 5_000)]
    public void Each_mode_has_its_own_default_batches(string mode, int batches) =>
        Assert.Equal(batches, LoadOptions.Parse(["--mode", mode]).Batches);

    [Fact]
    public void Warmup_zero_and_syscalls_are_read()
    {
        var options = LoadOptions.Parse(["--warmup", "0", "--syscalls"]);

        Assert.Equal(0, options.WarmupBatches);
        Assert.True(options.Syscalls);
        Assert.False(LoadOptions.Parse([]).Syscalls);
    }

    [Fact]
    public void Scenario_names_are_unique() =>
        Assert.Equal(Scenario.All.Count, Scenario.All.Select(s => s.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());

    [Fact]
    public void Only_multicast_scenarios_include_C_joold()
    {
        Assert.All(Scenario.All, s => Assert.Equal(s.Transport != RelayTransport.Unicast, s.WithReference));
    }

    [Fact]
    public void The_usage_lists_every_scenario() =>
        Assert.All(Scenario.All, s => Assert.Contains(s.Name, LoadOptions.UsageText, StringComparison.Ordinal));
}
