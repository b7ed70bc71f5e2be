namespace Joold.LoadTest.Tests;

public class StatisticsTests
{
    [Theory]
    [InlineData(new double[] { 3 }, 3)]
    [InlineData(new double[] { 5, 1, 3 }, 3)]
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
    public void Median_is_the_middle_value_or_the_mean_of_the_two_middle_ones(double[] values, double expected) =>
        Assert.Equal(expected, Statistics.Median(values));

    [Fact]
    public void Median_skips_missing_values_and_is_NaN_without_any()
    {
        Assert.Equal(2, Statistics.Median([double.NaN, 2, double.NaN]));
        Assert.True(double.IsNaN(Statistics.Median([])));
    }

    [Theory]
    [InlineData(50, 50)]
    [InlineData(99, 99)]
    [InlineData(99.5, 100)]
    [InlineData(100, 100)]
    [InlineData(0.1, 1)]
    public void Percentile_is_the_nearest_rank(double percent, double expected)
    {
        double[] oneToHundred = [.. Enumerable.Range(1, 100).Select(i => (double)i)];
        Assert.Equal(expected, Statistics.Percentile(oneToHundred, percent));
    }

    [Fact]
    public void Percentile_of_one_value_is_that_value_and_of_none_NaN()
    {
        Assert.Equal(7, Statistics.Percentile([7], 99));
        Assert.True(double.IsNaN(Statistics.Percentile([], 50)));
    }

    [Fact]
    public void Ratio_is_Joold_over_C_and_NaN_without_a_C_figure()
    {
        Assert.Equal(1.5, Statistics.Ratio(30, 20));
        Assert.True(double.IsNaN(Statistics.Ratio(30, 0)));
        Assert.True(double.IsNaN(Statistics.Ratio(30, double.NaN)));
    }
}
