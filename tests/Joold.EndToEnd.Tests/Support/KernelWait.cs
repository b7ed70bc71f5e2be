using Joold.FakeKernel;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>Waits for a fake kernel's counters: that it multicast what it was given, or any other state.</summary>
internal static class KernelWait
{
    /// <summary>
    /// Waits until the kernel has multicast <paramref name="sessions"/> sessions in all and every batch was ACKed,
    /// and returns its counters. How many batches that took is the kernel's business (a first session after a
    /// quiet spell goes out alone when the flush deadline has passed, spec 4.3): read it from PktSent.
    /// </summary>
    public static Task<JooldKernelStats> AllSentAsync(FakeKernelProcess kernel, long sessions, string who) =>
        Eventually.ValueAsync(
            () => kernel.GetStatsAsync(),
            s => s.SssSent == sessions && s.Acks == s.PktSent,
            $"{sessions} sessions multicast and every batch ACKed by {who}");

    /// <summary>Waits until the kernel's counters satisfy <paramref name="done"/> and returns them.</summary>
    public static Task<JooldKernelStats> UntilAsync(FakeKernelProcess kernel, Func<JooldKernelStats, bool> done, string what) =>
        Eventually.ValueAsync(() => kernel.GetStatsAsync(), done, what);
}
