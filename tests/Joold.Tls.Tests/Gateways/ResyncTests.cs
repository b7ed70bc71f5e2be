using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests.Gateways;

/// <summary>A gateway that crashes and comes back empty gets every session the others hold, with no advertise typed by hand.</summary>
public sealed class ResyncTests
{
    [Fact]
    public Task A_gateway_killed_and_restarted_with_an_empty_kernel_gets_every_session_the_others_hold() =>
        GatewayNetwork.RunAsync(nodes: 3, ipv6: true, async net =>
        {
            var (a, b, c) = (net.Gateways[0], net.Gateways[1], net.Gateways[2]);
            await net.StartAllAsync();
            await net.WaitResyncsDoneAsync();
            await a.Kernel.InjectRandomAsync(60, seed: 1);
            await c.Kernel.InjectRandomAsync(60, seed: 2);
            await Eventually.ValueAsync(b.SessionsAsync, s => s.Count >= 120, $"the first sessions in the kernel of {b}");

            // A crash of the whole box: SIGKILL, and a kernel that lost its sessions.
            await b.KillDaemonAsync();
            Assert.Equal(137, b.Daemon!.ExitCode);
            await b.ReplaceKernelAsync();
            Assert.Empty(await b.SessionsAsync());
            await a.Kernel.InjectRandomAsync(40, seed: 3);
            await c.Kernel.InjectRandomAsync(40, seed: 4);
            var heldByA = await Eventually.ValueAsync(a.SessionsAsync, s => s.Count >= 200, $"every session in the kernel of {a}");
            var heldByC = await Eventually.ValueAsync(c.SessionsAsync, s => s.Count >= 200, $"every session in the kernel of {c}");
            Assert.Equal(heldByA, heldByC);

            await b.StartDaemonAsync();
            var restored = await Eventually.ValueAsync(b.SessionsAsync, s => s.Count >= heldByA.Count, $"every session back in the kernel of {b}", TimeSpan.FromSeconds(40));
            Assert.Equal(heldByA, restored);

            // Through the resync: A and C saw B's new incarnation and had their kernels advertise.
            foreach (var gateway in (Gateway[])[a, c])
            {
                Assert.Contains($"{b.Entry(true)} restarted", gateway.Log, StringComparison.Ordinal);
                Assert.True((await gateway.Kernel.GetStatsAsync()).Ads >= 1, $"{gateway} never advertised");
            }
        });
}
