using Joold.FakeKernel;
using Joold.Testing;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests;

/// <summary>Renewed certificates are taken without a restart; expiry is said at start and warned about ahead.</summary>
public sealed class ReloadTests
{
    [Fact]
    public async Task Renewed_files_are_reloaded_and_used_and_broken_ones_keep_the_current_certificate()
    {
        using var pki = new TestPki();
        var files = pki.Issue("a");
        await using var a = await TlsNode.StartAsync(files);
        await using var b = await TlsNode.StartAsync(pki.Issue("b"), listen: null, peers: [a.Address]);
        await b.WaitConnectedAsync();
        string oldSerial = RawPeer.Load(files).SerialNumber;

        // Renewal as certbot-like tools do it: new files renamed over the old ones.
        var renewed = pki.Issue("a-renewed");
        File.Move(renewed.KeyFile, files.KeyFile, overwrite: true);
        File.Move(renewed.CertificateFile, files.CertificateFile, overwrite: true);
        // Counted before it is logged: wait for the line itself.
        await Eventually.WaitAsync(() => a.Logger.Messages(604).Any(), "the reload's log line");
        Assert.Equal(1, a.Transport.CertificateReloads);
        Assert.Contains(a.Logger.Messages(604), m => m.StartsWith("Tls certificates reloaded (", StringComparison.Ordinal) && m.Contains("changed): CN=a-renewed, valid until ", StringComparison.Ordinal));

        // Connections are made again with the new certificate, and batches still flow.
        await Eventually.WaitAsync(() => b.Logger.Messages(607).Count() >= 2, "B reconnected");
        await b.WaitConnectedAsync();
        Assert.Contains(b.Logger.Messages(607), m => m.Contains("CN=a-renewed", StringComparison.Ordinal));
        Assert.NotEqual(oldSerial, RawPeer.Load(files).SerialNumber);
        byte[] batch = TestSessions.Unique(3);
        Assert.True(a.Send(batch));
        await Eventually.WaitAsync(() => b.Received.Count == 1, "a batch after the reload");

        // A broken file is refused with the reason; the renewed certificate stays in use.
        File.WriteAllText(files.CertificateFile, "not a certificate\n");
        await Eventually.WaitAsync(() => a.Logger.Messages(606).Any(), "the failed reload");
        Assert.Contains($"'certificate' is \"{files.CertificateFile}\" (holds no certificate)", Assert.Single(a.Logger.Messages(606)), StringComparison.Ordinal);
        Assert.Equal(1, a.Transport.CertificateReloads);
        Assert.True(a.Send(batch));
        await Eventually.WaitAsync(() => b.Received.Count == 2, "a batch after the failed reload");
    }

    [Fact]
    public async Task The_expiry_is_logged_at_start_and_warned_about_a_month_ahead()
    {
        using var pki = new TestPki();
        await using (var node = await TlsNode.StartAsync(pki.Issue("long", notAfter: DateTimeOffset.UtcNow.AddDays(200.5))))
        {
            Assert.Matches(@"^Tls certificate CN=long \(.+\) is valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, 200 days from now\.$", Assert.Single(node.Logger.Messages(601)));
            Assert.Empty(node.Logger.Messages(602));
        }

        await using (var node = await TlsNode.StartAsync(pki.Issue("short", notAfter: DateTimeOffset.UtcNow.AddDays(10.5))))
        {
            var warning = Assert.Single(node.Logger.WithId(602));
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
            Assert.Matches(@"^Tls certificate CN=short \(.+\) expires on .+ UTC, in 10 days: renew it", warning.Message);
        }
    }

    [Fact]
    public async Task SIGHUP_rereads_the_files_and_the_daemon_goes_on()
    {
        using var pki = new TestPki();
        var files = pki.Issue("daemon");
        await using var kernel = await FakeKernelProcess.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        string config = pki.Write("sighup.json", $$"""
            {
              "JoolNetlink": { "instance": "default", "netlink peer": {{kernel.PortId}} },
              "Tls": { "listen": "127.0.0.1:0", "certificate": "{{files.CertificateFile}}", "key": "{{files.KeyFile}}", "ca": "{{files.CaFile}}" }
            }
            """);
        await using var daemon = DaemonProcess.StartJoold(["--log-level", "Debug", "run", config], pki.Directory);
        await daemon.WaitForOutputAsync("Relay started");

        DaemonProcess.Signal(daemon.Id, Tmds.Linux.LibC.SIGHUP);
        await daemon.WaitForOutputAsync("Tls certificates re-read (SIGHUP): unchanged.");
        Assert.False(daemon.HasExited);

        var renewed = pki.Issue("daemon-renewed");
        File.Move(renewed.KeyFile, files.KeyFile, overwrite: true);
        File.Move(renewed.CertificateFile, files.CertificateFile, overwrite: true);
        DaemonProcess.Signal(daemon.Id, Tmds.Linux.LibC.SIGHUP);
        await daemon.WaitForOutputAsync("CN=daemon-renewed, valid until");
        Assert.False(daemon.HasExited);
        Assert.Equal(0, await daemon.TerminateAsync());
    }
}
