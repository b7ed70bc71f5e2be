using Joold.Plugins.Tls;
using Joold.Testing;
using Joold.Testing.Namespaces;
using Joold.Tls.Tests.Support;

namespace Joold.Tls.Tests;

/// <summary>
/// A listen address this host does not have fails the start with one line naming the address and the key, also in
/// a namespace that never had an IPv4 address (where Linux's bind() takes any IPv4 address and the node would wait,
/// deaf, for peers that cannot reach it).
/// </summary>
public sealed class UnassignedAddressTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false, "192.0.2.7:6443")]
    [InlineData(true, "192.0.2.7:6443")]
    [InlineData(false, "[2001:db8::7]:6443")]
    public async Task Listening_on_an_address_of_no_interface_fails_the_start(bool loopbackUp, string listen)
    {
        using var pki = new TestPki();
        await using var network = await BareNamespace.CreateAsync(loopbackUp);
        await using var transport = Transport(pki, listen);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => network.RunAsync(() => transport.StartAsync(Token)));

        Assert.Equal($"cannot listen on TCP {listen} ('listen'): address not available (no interface of this host has it)", error.Message);
        Assert.Null(transport.LocalEndPoint);
    }

    [Theory]
    [InlineData("0.0.0.0:0")]
    [InlineData("[::]:0")]
    public async Task The_wildcard_still_listens_in_a_namespace_without_addresses(string listen)
    {
        using var pki = new TestPki();
        await using var network = await BareNamespace.CreateAsync(loopbackUp: false);
        await using var transport = Transport(pki, listen);

        await network.RunAsync(() => transport.StartAsync(Token));

        Assert.NotEqual(0, transport.LocalEndPoint!.Port);
    }

    private static TlsTransport Transport(TestPki pki, string listen)
    {
        var node = pki.Issue("node");
        var settings = TlsSettings.FromOptions(new TlsOptions { Listen = listen, Certificate = node.CertificateFile, Key = node.KeyFile, Ca = node.CaFile }, "/test/tls.json");
        return new TlsTransport(settings, new RecordingLogger<TlsTransport>());
    }
}
