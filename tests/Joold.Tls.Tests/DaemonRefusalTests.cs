using Joold.FakeKernel;
using Joold.Plugins.Tls.Protocol;
using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests;

/// <summary>A joold daemon with a fake kernel: what an intruder sends never reaches the kernel; what a peer sends does.</summary>
public sealed class DaemonRefusalTests
{
    private const string Listening = "Tls transport: listening on TCP ";

    [Fact]
    public async Task An_intruder_is_refused_with_a_clear_line_and_its_kernel_gets_nothing_from_it()
    {
        using var pki = new TestPki();
        using var other = new TestPki("Another CA");
        var files = pki.Issue("daemon");
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string config = pki.Write("daemon.json", $$"""
            {
              "JoolNetlink": { "instance": "default", "netlink peer": {{kernel.PortId}} },
              "Tls": { "listen": "127.0.0.1:0", "certificate": "{{files.CertificateFile}}", "key": "{{files.KeyFile}}", "ca": "{{files.CaFile}}" }
            }
            """);
        await using var daemon = DaemonProcess.StartJoold(["run", config], pki.Directory);
        var endPoint = await daemon.WaitForEndPointAsync(Listening);

        byte[] intruding = TestSessions.Unique(3);
        await using (var intruder = await RawPeer.DialAsync(endPoint, RawPeer.Load(other.Issue("intruder"))))
        {
            await intruder.SendHelloAndBatchAsync(intruding);
            Assert.True(await intruder.ClosedByOtherSideAsync(TimeSpan.FromSeconds(10)));
        }

        await daemon.WaitForOutputAsync("Tls: refused 127.0.0.1 (dialed in): it was not issued by a CA of 'ca' (issuer CN=Another CA)");

        // A peer with a good certificate, as a control: its batch is the only one the kernel ever gets.
        byte[] good = TestSessions.Unique(2);
        await using (var peer = await RawPeer.DialAsync(endPoint, RawPeer.Load(pki.Issue("peer"))))
        {
            await peer.SendHelloAndBatchAsync(good);
            await peer.ReadFramesAsync(f => f.Any(x => x.Type == FrameType.Ack && x.Number == 1));
        }

        var adds = await Eventually.ValueAsync(() => KernelAdds.ContainersAsync(kernel), a => a.Count >= 1, "the peer's batch in the kernel");
        Assert.Equal(Convert.ToHexString(good), Convert.ToHexString(Assert.Single(adds)));
        Assert.Equal(0, await daemon.TerminateAsync());
        Assert.Single(daemon.StandardError.Split('\n'), l => l.Contains("Tls: refused", StringComparison.Ordinal));
    }
}
