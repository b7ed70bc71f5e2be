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

        Assert.Equal((RelayTransport.Multicast6, LoadMode.Burst, 36, 4_000, 1_000, 2_000), (own.Transport, own.Mode, own.SessionsPerBatch, own.Batches, own.BurstSize, own.Warmup));
        Assert.Equal((500, 500, 10), (given.Batches, given.BurstSize, given.Warmup));
    }

    [Fact]
    public void Only_multicast_scenarios_include_C_joold()
    {
        Assert.All(Scenario.All, s => Assert.Equal(s.Transport != RelayTransport.Unicast, s.WithReference));
    }

    [Fact]
    public void The_usage_lists_every_scenario() =>
        Assert.All(Scenario.All, s => Assert.Contains(s.Name, LoadOptions.UsageText, StringComparison.Ordinal));
}
