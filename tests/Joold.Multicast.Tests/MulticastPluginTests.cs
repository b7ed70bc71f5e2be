using Joold.Configuration;
using Joold.Plugins;
using Joold.Plugins.Multicast;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Multicast.Tests;

public class MulticastPluginTests
{
    [Fact]
    public void Without_a_section_nothing_is_registered()
    {
        var services = new ServiceCollection();

        new MulticastPlugin().ConfigureServices(services, new PluginContext("Multicast", null, "/plugins/Multicast"));

        Assert.Empty(services);
    }

    [Fact]
    public async Task One_peer_singleton_is_both_the_source_and_the_sink()
    {
        var services = new ServiceCollection();
        var section = ConfigSection.Parse("netsocket.json", """{"multicast address": "ff08::db8:64:64", "multicast port": "6464"}""");

        new MulticastPlugin().ConfigureServices(services, new PluginContext("Multicast", section, "/plugins/Multicast"));
        await using var provider = services.BuildServiceProvider();

        var source = Assert.Single(provider.GetServices<ISessionSource>());
        var sink = Assert.Single(provider.GetServices<ISessionSink>());
        Assert.Same(source, sink);
        Assert.IsType<MulticastTransport>(source);
        Assert.Equal(SessionSide.Peer, source.Side);
        Assert.Equal(SessionSide.Peer, sink.Side);
        Assert.Equal("multicast [ff08::db8:64:64]:6464", source.Name);
    }

    [Fact]
    public void A_bad_setting_fails_while_configuring_not_later()
    {
        var section = ConfigSection.Parse("netsocket.json", """{"multicast address": "ff08::db8:64:64", "ttl": 300}""");

        var error = Assert.Throws<JooldConfigException>(
            () => new MulticastPlugin().ConfigureServices(new ServiceCollection(), new PluginContext("Multicast", section, "/plugins/Multicast")));

        Assert.Contains("netsocket.json: 'ttl' is 300", error.Message, StringComparison.Ordinal);
    }
}
