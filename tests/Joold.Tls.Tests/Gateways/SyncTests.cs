using Joold.Sessions;
using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests.Gateways;

/// <summary>
/// Two and three gateways (network namespaces, fake kernel processes, <c>joold run</c> daemons), each listing
/// every other: every session a kernel emits reaches every other kernel once, byte for byte, over IPv4 or IPv6.
/// </summary>
public sealed class SyncTests
{
    private const int SessionsPerKernel = 80;

    [Theory]
    [InlineData(2, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(3, true)]
    public Task Every_session_reaches_every_other_kernel_byte_identical_and_once(int nodes, bool ipv6) =>
        GatewayNetwork.RunAsync(nodes, ipv6, async net =>
        {
            await net.StartAllAsync();
            await net.WaitResyncsDoneAsync();
            var injected = new List<byte[]>();
            foreach (var gateway in net.Gateways)
            {
                injected.Add(await gateway.Kernel.InjectRandomAsync(SessionsPerKernel, seed: 100 + gateway.Node.Index));
            }

            var everything = injected.SelectMany(Hex).Order(StringComparer.Ordinal).ToList();
            var batches = new List<long>();
            foreach (var gateway in net.Gateways)
            {
                var stats = await Eventually.ValueAsync(
                    () => gateway.Kernel.GetStatsAsync(),
                    s => s.SssSent == SessionsPerKernel && s.Acks == s.PktSent,
                    $"every session of {gateway} multicast and ACKed");
                batches.Add(stats.PktSent);
            }

            for (int i = 0; i < net.Gateways.Count; i++)
            {
                var gateway = net.Gateways[i];
                var sessions = await Eventually.ValueAsync(gateway.SessionsAsync, s => s.Count >= everything.Count, $"every session in the kernel of {gateway}");
                Assert.Equal(everything, sessions);

                // Once: the other kernels' batches, each as one JOOLD_ADD holding exactly the bytes they multicast.
                var adds = await KernelAdds.ContainersAsync(gateway.Kernel);
                Assert.Equal(batches.Where((_, j) => j != i).Sum(), adds.Count);
                Assert.Equal(
                    injected.Where((_, j) => j != i).SelectMany(Hex).Order(StringComparer.Ordinal),
                    adds.SelectMany(Hex).Order(StringComparer.Ordinal));
                var kernel = await gateway.Kernel.GetStatsAsync();
                Assert.Equal((long)SessionsPerKernel * (net.Gateways.Count - 1), kernel.SssRcvd);
                Assert.DoesNotContain("Tls: refused", gateway.Log, StringComparison.Ordinal);
            }
        });

    /// <summary>Each session of a container as hex, expiration zeroed (the receiver re-bases it).</summary>
    private static IEnumerable<string> Hex(byte[] container)
    {
        for (int offset = 0; offset < container.Length; offset += SessionContainer.EntrySize)
        {
            byte[] raw = container.AsSpan(offset + 4, SessionEntry.SerializedSize).ToArray();
            raw.AsSpan(24, 4).Clear();
            yield return Convert.ToHexString(raw);
        }
    }
}
