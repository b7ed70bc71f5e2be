using Joold.Configuration;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Host.Hosting;

/// <summary>
/// Refuses a daemon that could relay nothing: the relay moves kernel batches to peers and peer batches to the
/// kernel, so it needs a source on one side and a sink on the other. <c>{}</c>, a kernel link alone or a peer
/// transport alone would start, log "Relay started" and run forever doing nothing. <c>joold follow</c> qualifies
/// (the kernel's source, the printer as the peer sink); <c>joold advertise</c> never starts the relay.
/// </summary>
internal static class RelayShape
{
    private const string LocalPlugins = "JoolNetlink";
    private const string PeerPlugins = "Multicast, Unicast, Tls or Nats";

    /// <summary>Throws <see cref="JooldConfigException"/>, one line naming <paramref name="origin"/>, when nothing can flow.</summary>
    public static void Check(IServiceProvider services, string origin)
    {
        var sources = services.GetServices<ISessionSource>().ToArray();
        var sinks = services.GetServices<ISessionSink>().ToArray();
        if (sources.Any(source => sinks.Any(sink => sink.Side != source.Side)))
        {
            return;
        }

        bool local = sources.Any(s => s.Side == SessionSide.Local) || sinks.Any(s => s.Side == SessionSide.Local);
        bool peer = sources.Any(s => s.Side == SessionSide.Peer) || sinks.Any(s => s.Side == SessionSide.Peer);
        string problem = (local, peer) switch
        {
            (false, false) => $"it sets up neither the kernel side (a {LocalPlugins} section) nor the peer side (a {PeerPlugins} section)",
            (false, true) => $"it sets up no kernel side; add a {LocalPlugins} section",
            (true, false) => $"it sets up no peer side; add a {PeerPlugins} section",
            _ => $"no source has a sink on the other side (sources: {Names(sources)}; sinks: {Names(sinks)})",
        };
        throw new JooldConfigException($"{origin}: nothing to relay: {problem}.");
    }

    private static string Names(IEnumerable<IJooldComponent> components)
    {
        string names = string.Join(", ", components.Distinct().Select(c => $"'{c.Name}'"));
        return names.Length == 0 ? "none" : names;
    }
}
