using Joold.Testing;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Joold.Nats.Tests.Support;

/// <summary>
/// One server, or three clustered servers with JetStream, on loopback ports picked free, each with its own store
/// directory. Every server is killed on dispose, whatever the test did.
/// </summary>
internal sealed class NatsCluster : IAsyncDisposable
{
    private NatsCluster(IReadOnlyList<NatsServer> servers)
    {
        Servers = servers;
    }

    public IReadOnlyList<NatsServer> Servers { get; }

    /// <summary>Every server's URL, as a gateway's "servers" lists them.</summary>
    public IReadOnlyList<string> Urls => Servers.Select(s => s.Url).ToList();

    /// <summary>The "servers" JSON array.</summary>
    public string UrlsJson => "[" + string.Join(", ", Urls.Select(u => $"\"{u}\"")) + "]";

    /// <summary>A single JetStream server, with <paramref name="extraConfig"/> in its configuration.</summary>
    public static Task<NatsCluster> StartSingleAsync(string extraConfig = "") => StartAsync(1, extraConfig);

    /// <summary>Three routed servers; returns once JetStream has a meta leader (streams can be created).</summary>
    public static Task<NatsCluster> StartThreeAsync() => StartAsync(3, "");

    private static async Task<NatsCluster> StartAsync(int count, string extraConfig)
    {
        Assert.True(NatsServer.IsInstalled, "nats-server is not installed (Debian package nats-server; .ci/run installs it).");
        int[] ports = TcpPorts.Reserve(count * 2);
        var servers = new List<NatsServer>();
        for (int i = 0; i < count; i++)
        {
            int? clusterPort = count > 1 ? ports[count + i] : null;
            var routes = count > 1 ? ports[count..].Where((_, j) => j != i) : [];
            servers.Add(new NatsServer($"n{i + 1}", ports[i], clusterPort, routes, extraConfig));
        }

        var cluster = new NatsCluster(servers);
        try
        {
            await Task.WhenAll(servers.Select(s => s.StartAsync()));
            if (extraConfig.Length == 0)
            {
                await cluster.WaitForJetStreamAsync();
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the JetStream API answers (in a cluster: once a meta leader is elected).</summary>
    public async Task WaitForJetStreamAsync()
    {
        await using var client = Connect();
        var jetStream = new NatsJSContext(client);
        await Eventually.ValueAsync(
            async () =>
            {
                try
                {
                    await jetStream.GetAccountInfoAsync(TestContext.Current.CancellationToken);
                    return true;
                }
                catch (NatsException)
                {
                    return false;
                }
            },
            ready => ready,
            "JetStream to answer",
            TimeSpan.FromSeconds(60));
    }

    /// <summary>A client of the cluster, for a test to look at the stream itself.</summary>
    public NatsConnection Connect() => new(NatsOpts.Default with { Url = string.Join(",", Urls), RequestTimeout = TimeSpan.FromSeconds(5) });

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }
    }
}
