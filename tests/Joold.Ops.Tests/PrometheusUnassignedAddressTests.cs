using Joold.Configuration;
using Joold.Plugins.Prometheus;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Ops.Tests;

/// <summary>
/// A listen address this host does not have fails the start with one line naming the address and the key, also in
/// a namespace that never had an IPv4 address (where Linux's bind() takes any IPv4 address and no scrape could
/// ever reach the endpoint).
/// </summary>
public class PrometheusUnassignedAddressTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false, "192.0.2.7:9464")]
    [InlineData(true, "192.0.2.7:9464")]
    [InlineData(false, "[2001:db8::7]:9464")]
    public async Task Listening_on_an_address_of_no_interface_fails_the_start(bool loopbackUp, string listen)
    {
        await using var network = await BareNamespace.CreateAsync(loopbackUp);
        await using var relay = new SessionRelay([], [], new JooldCounters(), NullLogger<SessionRelay>.Instance);
        using var meter = new JooldMeter(new JooldCounters(), relay);
        await using var exporter = Exporter(listen, meter);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => network.RunAsync(() => exporter.StartAsync(Token)));

        Assert.Equal($"cannot listen on TCP {listen} ('listen'): address not available (no interface of this host has it)", error.Message);
        Assert.Null(exporter.LocalEndPoint);
    }

    [Theory]
    [InlineData("0.0.0.0:0")]
    [InlineData("[::]:0")]
    public async Task The_wildcard_still_listens_in_a_namespace_without_addresses(string listen)
    {
        await using var network = await BareNamespace.CreateAsync(loopbackUp: false);
        await using var relay = new SessionRelay([], [], new JooldCounters(), NullLogger<SessionRelay>.Instance);
        using var meter = new JooldMeter(new JooldCounters(), relay);
        await using var exporter = Exporter(listen, meter);

        await network.RunAsync(() => exporter.StartAsync(Token));

        Assert.NotEqual(0, exporter.LocalEndPoint!.Port);
    }

    private static PrometheusExporter Exporter(string listen, JooldMeter meter) => new(
        PrometheusOptions.FromSection(ConfigSection.Parse("/etc/joold/Prometheus.json", $$"""{"listen": "{{listen}}"}""")),
        meter,
        NullLogger<PrometheusExporter>.Instance);
}
