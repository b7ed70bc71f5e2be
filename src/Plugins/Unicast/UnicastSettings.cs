using System.Net;
using Joold.Configuration;

namespace Joold.Plugins.Unicast;

/// <summary>The checked form of <see cref="UnicastOptions"/>: what the transport binds to and sends to.</summary>
public sealed record UnicastSettings(IPEndPoint Listen, IReadOnlyList<IPEndPoint> Peers, int? ReceiveBufferSize)
{
    /// <summary>The smallest SO_RCVBUF accepted: anything below cannot hold one full datagram.</summary>
    public const int MinReceiveBuffer = 4096;

    /// <summary>The largest SO_RCVBUF accepted (256 MiB).</summary>
    public const int MaxReceiveBuffer = 256 * 1024 * 1024;

    /// <summary>SO_RCVBUF when the section sets none: the system default (about 208 KiB) overflows on bursts.</summary>
    public const int DefaultReceiveBuffer = 4 * 1024 * 1024;

    /// <summary>Binds and checks a section; every error names the file and the key.</summary>
    public static UnicastSettings FromSection(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return FromOptions(section.Bind<UnicastOptions>(), section.Source);
    }

    /// <summary>Checks bound options; <paramref name="source"/> names the file (or "command line") in errors.</summary>
    public static UnicastSettings FromOptions(UnicastOptions options, string source) =>
        FromOptions(options, source, EqualityComparer<IPEndPoint>.Default);

    /// <summary>
    /// As <see cref="FromOptions(UnicastOptions, string)"/>; tests count what <paramref name="peerComparer"/> is
    /// asked, to prove the repeat check linear in the number of peers.
    /// </summary>
    internal static UnicastSettings FromOptions(UnicastOptions options, string source, IEqualityComparer<IPEndPoint> peerComparer)
    {
        ArgumentNullException.ThrowIfNull(options);
        var listen = ParseEndPoint(source, UnicastOptions.ListenKey, options.Listen, allowPortZero: true)
            ?? throw new JooldConfigException(source, UnicastOptions.ListenKey, "missing", EndPointText.Expected);

        if (options.Peers is not { Length: > 0 } peerTexts)
        {
            throw new JooldConfigException(source, UnicastOptions.PeersKey, options.Peers is null ? "missing" : "an empty array", $"an array of at least one peer, each {EndPointText.Expected}");
        }

        var peers = new IPEndPoint[peerTexts.Length];

        // Where each peer was first listed: one lookup per peer, where a scan of the earlier ones made 400,000
        // peers take minutes.
        var firstIndex = new Dictionary<IPEndPoint, int>(peerTexts.Length, peerComparer);
        for (int i = 0; i < peerTexts.Length; i++)
        {
            string key = $"{UnicastOptions.PeersKey}[{i}]";
            var peer = ParseEndPoint(source, key, peerTexts[i], allowPortZero: false)
                ?? throw new JooldConfigException(source, key, "null", EndPointText.Expected);
            if (peer.Address.Equals(IPAddress.Any) || peer.Address.Equals(IPAddress.IPv6Any))
            {
                throw new JooldConfigException(source, key, $"\"{peerTexts[i]}\"", "a peer's own address, not the unspecified address");
            }

            if (!CanReach(listen, peer))
            {
                throw new JooldConfigException(
                    source,
                    key,
                    $"\"{peerTexts[i]}\"",
                    $"an address of the same family as '{UnicastOptions.ListenKey}' ({listen}); listen on \"[::]:port\" to reach IPv4 and IPv6 peers alike");
            }

            if (!firstIndex.TryAdd(peer, i))
            {
                int first = firstIndex[peer];
                throw new JooldConfigException(source, key, $"\"{peerTexts[i]}\"", $"a peer not already listed (it repeats peers[{first}])");
            }

            peers[i] = peer;
        }

        if (options.ReceiveBuffer is { } size and (< MinReceiveBuffer or > MaxReceiveBuffer))
        {
            throw new JooldConfigException(source, UnicastOptions.ReceiveBufferKey, $"{size}", $"a size in bytes from {MinReceiveBuffer} to {MaxReceiveBuffer}");
        }

        return new UnicastSettings(listen, peers, options.ReceiveBuffer ?? DefaultReceiveBuffer);
    }

    /// <summary>A socket bound to <paramref name="listen"/> can send to <paramref name="peer"/>: same family, or "::" (dual-stack).</summary>
    private static bool CanReach(IPEndPoint listen, IPEndPoint peer) =>
        listen.AddressFamily == peer.AddressFamily || listen.Address.Equals(IPAddress.IPv6Any);

    private static IPEndPoint? ParseEndPoint(string source, string key, string? text, bool allowPortZero) =>
        text is null ? null : EndPointText.Parse(source, key, text, allowPortZero);
}
