using Joold.Plugins.Tls;

namespace Joold.Tls.Tests.Units;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_double_up_to_the_cap_with_jitter_in_their_upper_half_and_reset_after_success()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), new Random(7));
        var nominal = new[] { 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000 };
        var delays = nominal.Select(_ => backoff.Next().TotalMilliseconds).ToList();
        for (int i = 0; i < nominal.Length; i++)
        {
            Assert.InRange(delays[i], nominal[i] / 2.0, nominal[i]);
        }

        Assert.True(delays.Distinct().Count() > nominal.Distinct().Count(), "no jitter");
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalMilliseconds, 100, 200);
    }
}
