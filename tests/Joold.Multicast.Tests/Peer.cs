using System.Text.Json;
using Joold.Configuration;
using Joold.Plugins.Multicast;
using Joold.Relay;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.Multicast.Tests;

/// <summary>
/// A multicast transport started inside a node's namespace, with its receive loop feeding a
/// <see cref="RecordingWriter"/>. Disposing stops the loop and closes the socket (which releases the namespace).
/// </summary>
internal sealed class Peer : IAsyncDisposable
{
    public const string Ipv4Group = "233.252.0.64";
    public const string Ipv6Group = "ff08::db8:64:64";

    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;

    private Peer(MulticastTransport transport, RecordingLogger<MulticastTransport> logger)
    {
        Transport = transport;
        Logger = logger;
    }

    public MulticastTransport Transport { get; }

    public RecordingLogger<MulticastTransport> Logger { get; }

    public RecordingWriter Received { get; } = new();

    public static string Group(bool ipv6) => ipv6 ? Ipv6Group : Ipv4Group;

    /// <summary>Netsocket.json text for a group and optional interfaces.</summary>
    public static MulticastOptions Options(bool ipv6, string? inInterface = null, string? outInterface = null, int ttl = 1)
    {
        var json = new Dictionary<string, object> { ["multicast address"] = Group(ipv6), ["ttl"] = ttl };
        if (inInterface is not null)
        {
            json["in interface"] = inInterface;
        }

        if (outInterface is not null)
        {
            json["out interface"] = outInterface;
        }

        return MulticastOptions.FromSection(ConfigSection.Parse("netsocket.json", JsonSerializer.Serialize(json)));
    }

    /// <summary>The interface setting C joold expects for the family: the address for IPv4, the name for IPv6.</summary>
    public static string InterfaceSetting(TestInterface nic, bool ipv6) => ipv6 ? nic.Name : nic.Ipv4.ToString();

    /// <summary>Starts a transport in <paramref name="node"/>; with <paramref name="listen"/>, runs its receive loop too.</summary>
    public static async Task<Peer> StartAsync(TestNode node, MulticastOptions options, bool listen = true)
    {
        var logger = new RecordingLogger<MulticastTransport>();
        var transport = new MulticastTransport(options, logger);
        try
        {
            // StartAsync completes synchronously, on the thread that is inside the namespace.
            await NetnsThread.RunAsync(node.NamespacePath, () =>
            {
                var started = transport.StartAsync(CancellationToken.None);
                if (!started.IsCompleted)
                {
                    throw new InvalidOperationException("StartAsync did not complete synchronously; the socket may be in the wrong namespace.");
                }

                started.GetAwaiter().GetResult();
            });
        }
        catch
        {
            await transport.DisposeAsync();
            throw;
        }

        var peer = new Peer(transport, logger);
        if (listen)
        {
            peer._receiving = transport.RunAsync(peer.Received, peer._stop.Token);
        }

        return peer;
    }

    /// <summary>Sends one datagram through the transport's sink side.</summary>
    public ValueTask<bool> SendAsync(byte[] payload) =>
        Transport.SendAsync(new SessionBatch(payload, SessionSide.Local), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _receiving;
        }
        finally
        {
            await Transport.DisposeAsync();
            _stop.Dispose();
        }
    }
}
