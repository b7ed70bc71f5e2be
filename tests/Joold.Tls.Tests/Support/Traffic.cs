using Joold.Testing;

namespace Joold.Tls.Tests.Support;

/// <summary>Batches a fake kernel multicasts as they are (bypassing its queue and database), and their arrival.</summary>
internal static class Traffic
{
    /// <summary>Has <paramref name="from"/>'s kernel multicast <paramref name="count"/> new containers of 4 sessions; records them in order.</summary>
    public static async Task MulticastAsync(Gateway from, List<byte[]> sent, int count)
    {
        for (int i = 0; i < count; i++)
        {
            byte[] container = TestSessions.Unique(4);
            await from.Kernel.CommandAsync($"multicast {Convert.ToHexString(container)}");
            sent.Add(container);
        }
    }

    /// <summary>
    /// Keeps batches coming for <paramref name="duration"/>: <paramref name="perTick"/> every 100 ms (the pace of a
    /// busy gateway, and no faster, so the test's own count of batches stays small).
    /// </summary>
    public static async Task KeepMulticastingAsync(Gateway from, List<byte[]> sent, TimeSpan duration, int perTick = 5)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (clock.Elapsed < duration && await pace.WaitForNextTickAsync(TestContext.Current.CancellationToken))
        {
            await MulticastAsync(from, sent, perTick);
        }
    }

    /// <summary>
    /// Waits until <paramref name="to"/>'s kernel got as many JOOLD_ADDs as were sent, then checks they are exactly
    /// the batches sent: each once, in order, byte for byte.
    /// </summary>
    public static async Task AssertDeliveredOnceInOrderAsync(Gateway to, IReadOnlyList<byte[]> sent)
    {
        var adds = await Eventually.ValueAsync(() => KernelAdds.ContainersAsync(to.Kernel), a => a.Count >= sent.Count, $"{sent.Count} batches in the kernel of {to}", TimeSpan.FromSeconds(60));
        var lost = sent.Where(s => !adds.Any(a => a.AsSpan().SequenceEqual(s))).Count();
        var duplicated = adds.Count - adds.Select(Convert.ToHexString).Distinct().Count();
        Assert.True(lost == 0 && duplicated == 0 && adds.Count == sent.Count, $"{sent.Count} sent, {adds.Count} added: {lost} lost, {duplicated} duplicated");
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.True(sent[i].AsSpan().SequenceEqual(adds[i]), $"batch {i} of {sent.Count} out of order");
        }
    }
}
