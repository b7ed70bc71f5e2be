using Joold.Configuration;
using Joold.Plugins.StatsUdp;
using Joold.Plugins.Unicast;
using Joold.Relay;
using Joold.Stats;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Plugins.Tests;

/// <summary>
/// An address this host does not have fails the start with one line naming the address and the key, also in a
/// namespace that never had an IPv4 address (where Linux's bind() takes any IPv4 address).
/// </summary>
public sealed class UnassignedAddressTests
{
    private const string NotAvailable = "address not available (no interface of this host has it)";

    [Theory]
    [InlineData(false, "192.0.2.7")]
    [InlineData(true, "192.0.2.7")]
    [InlineData(false, "2001:db8::7")]
    public async Task StatsUdp_on_an_address_of_no_interface_fails_its_start(bool loopbackUp, string address)
    {
        await using var network = await BareNamespace.CreateAsync(loopbackUp);
        await using var provider = Provider(new StatsUdpPlugin(), "StatsUdp", $$"""{"address": "{{address}}", "port": 6401}""");
        var exporter = provider.GetRequiredService<IStatsExporter>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => network.RunAsync(() => exporter.StartAsync(TestContext.Current.CancellationToken)));

        string endPoint = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]:6401" : $"{address}:6401";
        Assert.Equal($"cannot bind the stats server to UDP {endPoint} ('address' \"{address}\", 'port' 6401): {NotAvailable}", error.Message);
    }

    [Theory]
    [InlineData(false, "192.0.2.7")]
    [InlineData(true, "192.0.2.7")]
    [InlineData(false, "2001:db8::7")]
    public async Task Unicast_listening_on_an_address_of_no_interface_fails_its_start(bool loopbackUp, string address)
    {
        bool v6 = address.Contains(':', StringComparison.Ordinal);
        string listen = v6 ? $"[{address}]:6400" : $"{address}:6400";
        await using var network = await BareNamespace.CreateAsync(loopbackUp);
        await using var provider = Provider(new UnicastPlugin(), "Unicast", $$"""{"listen": "{{listen}}", "peers": ["{{(v6 ? "[2001:db8::8]" : "192.0.2.8")}}:6400"]}""");
        var transport = provider.GetRequiredService<ISessionSource>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => network.RunAsync(() => transport.StartAsync(TestContext.Current.CancellationToken)));

        Assert.Equal($"cannot bind the unicast socket to UDP {listen} ('listen'): {NotAvailable}", error.Message);
    }

    [Fact]
    public async Task The_wildcard_and_loopback_still_start_in_a_namespace_without_addresses()
    {
        await using var network = await BareNamespace.CreateAsync(loopbackUp: false);
        await using var stats = Provider(new StatsUdpPlugin(), "StatsUdp", """{"address": "0.0.0.0", "port": 6401}""");
        await using var unicast = Provider(new UnicastPlugin(), "Unicast", """{"listen": "[::]:6400", "peers": ["192.0.2.8:6400"]}""");
        var exporter = stats.GetRequiredService<IStatsExporter>();
        var transport = unicast.GetRequiredService<ISessionSource>();

        await network.RunAsync(() => exporter.StartAsync(TestContext.Current.CancellationToken));
        await network.RunAsync(() => transport.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("0.0.0.0:6401", Assert.Single(((StatsUdpExporter)exporter).LocalEndPoints).ToString());
        Assert.Equal("[::]:6400", ((UnicastTransport)transport).LocalEndPoint!.ToString());
    }

    private static ServiceProvider Provider(IJooldPlugin plugin, string name, string json)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IJooldStatistics>(new JooldCounters());
        plugin.ConfigureServices(services, new PluginContext(name, ConfigSection.Parse($"/etc/joold/{name}.json", json), $"/plugins/{name}"));
        return services.BuildServiceProvider();
    }
}
