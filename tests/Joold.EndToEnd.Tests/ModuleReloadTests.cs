using System.Globalization;
using Joold.EndToEnd.Tests.Support;
using Joold.FakeKernel;
using Joold.Testing;

namespace Joold.EndToEnd.Tests;

/// <summary>
/// Issue 11, defect 13: kernel B "reloaded" (the fake stopped and started again at the same port id, with another
/// family id and another "joold" group) while daemon B runs. Daemon B says so, rejoins, and its kernel's sessions
/// reach kernel A again; kernel A's reach the new kernel B, addressed to the new family.
/// </summary>
public class ModuleReloadTests
{
    private const uint KernelPortB = 4242;

    [Fact]
    public Task A_daemon_hears_its_kernel_again_after_it_comes_back_with_other_ids() =>
        EndToEndNetwork.RunAsync(nodes: 1, async net =>
        {
            var (a, b, _) = await UnicastPair.StartAsync(net, "e2e-reload", kernelArgumentsB: ["--port-id", KernelPortB.ToString(CultureInfo.InvariantCulture)]);
            Assert.Equal(KernelPortB, b.Kernel.PortId);

            await b.Kernel.InjectRandomAsync(1, seed: 1);
            await Eventually.ValueAsync(() => a.Kernel.GetDatabaseAsync(), d => d.Count == 1, "kernel B's first session in kernel A");

            // "modprobe -r jool; modprobe jool": the same port id, another family id, another group.
            await b.Kernel.DisposeAsync();
            await using var reloaded = await StartWithOtherGroupAsync(b.Node.Name, "e2e-reload-b", b.Kernel.GroupId, (ushort)(b.Kernel.FamilyId + 1));
            await b.WaitForLogAsync($"family id {reloaded.FamilyId} (was {b.Kernel.FamilyId}), group 'joold' {reloaded.GroupId} (was {b.Kernel.GroupId})");

            // The new group is heard: the reloaded kernel's sessions reach kernel A.
            await reloaded.InjectRandomAsync(40, seed: 2);
            await Eventually.ValueAsync(() => a.Kernel.GetDatabaseAsync(), d => d.Count == 41, "the reloaded kernel's sessions in kernel A");
            await KernelWait.UntilAsync(reloaded, k => k.SssSent == 40 && k.Acks == k.PktSent, "every batch of the reloaded kernel ACKed with its new family id");

            // And kernel A's sessions reach the reloaded kernel as JOOLD_ADDs of the new family.
            await a.Kernel.InjectRandomAsync(3, seed: 3);
            await KernelWait.UntilAsync(reloaded, k => k.SssRcvd == 3, "kernel A's sessions in the reloaded kernel");
        });

    /// <summary>A fake at <see cref="KernelPortB"/> whose group is not <paramref name="oldGroup"/> (the picker is random: a few tries).</summary>
    private static async Task<FakeKernelProcess> StartWithOtherGroupAsync(string networkNamespace, string instance, uint oldGroup, ushort family)
    {
        for (int attempt = 0; ; attempt++)
        {
            var fake = await FakeKernelProcess.StartAsync(KernelPortB, instance, networkNamespace, ["--family-id", family.ToString(CultureInfo.InvariantCulture)]);
            if (fake.GroupId != oldGroup || attempt >= 20)
            {
                Assert.NotEqual(oldGroup, fake.GroupId);
                return fake;
            }

            await fake.DisposeAsync();
        }
    }
}
