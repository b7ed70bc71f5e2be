using System.Net;
using System.Net.Sockets;
using Joold.Netlink;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>The start-up resolution of family "Jool" and its "joold" group, with the one-line reasons a start fails.</summary>
internal static class JoolFamilyResolver
{
    /// <summary>The family id and the group id, as <paramref name="peer"/> resolves them now.</summary>
    /// <exception cref="InvalidOperationException">No such family, group or peer; the message says what to do.</exception>
    public static async Task<(ushort Family, uint Group)> ResolveAtStartAsync(
        NetlinkSocket socket,
        SocketAddress peer,
        JoolNetlinkOptions options,
        uint seq,
        TimeSpan timeout,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        GenericNetlinkFamily? family;
        try
        {
            family = await GenericNetlinkResolver.ResolveAsync(socket, peer, JOOLNL_FAMILY, seq, timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && options.NetlinkPeer != 0)
        {
            throw new InvalidOperationException(
                $"No netlink socket has port id {options.NetlinkPeer} (\"{JoolNetlinkOptions.NetlinkPeerKey}\"); start the fake kernel first or set it to 0 to talk to the real Jool module.", e);
        }

        if (family is null)
        {
            throw new InvalidOperationException(options.NetlinkPeer == 0
                ? $"The Jool kernel module is not loaded in this network namespace (generic netlink family '{JOOLNL_FAMILY}' not found); load it with `modprobe jool` and create the instance with `jool instance add {options.Instance} --netfilter`."
                : $"Netlink peer {options.NetlinkPeer} (\"{JoolNetlinkOptions.NetlinkPeerKey}\") knows no generic netlink family '{JOOLNL_FAMILY}'; is it a Jool fake kernel?");
        }

        if (!family.Groups.TryGetValue(JOOLNL_MULTICAST_GRP_NAME, out uint group))
        {
            throw new InvalidOperationException(
                $"Generic netlink family '{JOOLNL_FAMILY}' (id {family.Id}) has no multicast group '{JOOLNL_MULTICAST_GRP_NAME}'; is the loaded module really Jool 4.1?");
        }

        return (family.Id, group);
    }
}
