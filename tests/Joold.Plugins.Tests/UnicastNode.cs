using System.Net;
using System.Net.Sockets;
using Joold.Plugins.Unicast;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Joold.Plugins.Tests;

/// <summary>One daemon as production composes it: a local side, the Unicast transport and a real relay.</summary>
public sealed class UnicastNode : IAsyncDisposable
{
    private UnicastNode(string name, UnicastSettings settings)
    {
        Local = new RecordingLocalSide($"{name} kernel");
        Transport = new UnicastTransport(settings, Logger);
        Relay = new SessionRelay([Local, Transport], [Local, Transport], Counters, NullLogger<SessionRelay>.Instance);
    }

    public JooldCounters Counters { get; } = new();

    public RecordingLogger<UnicastTransport> Logger { get; } = new();

    public RecordingLocalSide Local { get; }

    public UnicastTransport Transport { get; }

    public SessionRelay Relay { get; }

    public IPEndPoint EndPoint => Transport.LocalEndPoint!;

    public StatsSnapshot Stats => Counters.GetSnapshot();

    /// <summary>Starts a node with the given settings; the caller disposes it.</summary>
    public static async Task<UnicastNode> StartAsync(string name, UnicastSettings settings)
    {
        var node = new UnicastNode(name, settings);
        try
        {
            await node.Transport.StartAsync(TestContext.Current.CancellationToken);
            node.Relay.Start();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Two nodes on 127.0.0.1, each the other's only peer. Each must know the other's port before binding, so the
    /// ports come from <see cref="RacyLoopbackPorts"/>, which tries again if another test takes one in between.
    /// </summary>
    public static Task<(UnicastNode A, UnicastNode B)> StartPairAsync() =>
        RacyLoopbackPorts.StartAsync(2, async ports =>
        {
            var a = new IPEndPoint(IPAddress.Loopback, ports[0]);
            var b = new IPEndPoint(IPAddress.Loopback, ports[1]);
            var first = await StartAsync("A", new UnicastSettings(a, [b], null));
            try
            {
                return (first, await StartAsync("B", new UnicastSettings(b, [a], null)));
            }
            catch
            {
                await first.DisposeAsync();
                throw;
            }
        });

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        await Transport.DisposeAsync();
        await Local.DisposeAsync();
    }
}
