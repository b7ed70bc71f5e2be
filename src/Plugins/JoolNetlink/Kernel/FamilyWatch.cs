using System.Net;
using System.Net.Sockets;
using Joold.Netlink;
using Microsoft.Extensions.Logging;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>
/// Keeps the connection on the Jool family the peer has now. Reloading the module (<c>modprobe -r jool; modprobe
/// jool</c>) registers the family again: with a new family id, maybe a new "joold" group id, and the kernel takes
/// every socket out of the old family's groups, so a daemon that only resolved at start would hear nothing again,
/// silently. So the family is resolved again every <see cref="CheckInterval"/>, and at once (at most every
/// <see cref="MinSpacing"/>) when the peer answers "no such family" or refuses a send; whatever changed (ids,
/// membership) is fixed on the connection and logged once.
/// </summary>
/// <remarks>
/// Rejoining, not exiting for systemd to restart the daemon: a daemon started while the module is still unloaded
/// fails at once ("not loaded"), and a few such failures in a row hit systemd's start limit, which leaves the
/// gateway without sync until someone notices. Resolving runs on a socket of its own, so its answers never meet
/// the receive loop, and never holds a thread: it waits on the clock.
/// </remarks>
internal sealed class FamilyWatch(KernelConnection connection, JoolNetlinkOptions options, SocketAddress peer, ILogger logger, TimeProvider time)
{
    /// <summary>How often the family is resolved again when nothing suggests a change.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>The least time between two checks, so a peer that answers every request with an error cannot make them spin.</summary>
    public static readonly TimeSpan MinSpacing = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Reused by every check: a 64 KiB array every few seconds would be garbage for nothing.</summary>
    private readonly byte[] _buffer = new byte[64 * 1024];

    private TaskCompletionSource _soon = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _seq;
    private string? _goneReason;
    private long _checks;

    /// <summary>Checks completed so far (for tests: a check that began after a change has seen it).</summary>
    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>Asks for a check as soon as <see cref="MinSpacing"/> allows: something suggests the family changed.</summary>
    public void CheckSoon() => Volatile.Read(ref _soon).TrySetResult();

    /// <summary>Checks until <paramref name="stop"/> is cancelled; ends with <see cref="OperationCanceledException"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var socket = NetlinkSocket.Open();
        while (true)
        {
            await Task.Delay(MinSpacing, time, stop).ConfigureAwait(false);
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                var timer = Task.Delay(CheckInterval - MinSpacing, time, wait.Token);
                await Task.WhenAny(timer, Volatile.Read(ref _soon).Task).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
            }

            stop.ThrowIfCancellationRequested();

            // Reset before checking: a request that comes during the check asks for the next one.
            Volatile.Write(ref _soon, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await CheckAsync(socket, stop).ConfigureAwait(false);
            Interlocked.Increment(ref _checks);
        }
    }

    private async Task CheckAsync(NetlinkSocket socket, CancellationToken stop)
    {
        GenericNetlinkFamily? family;
        try
        {
            family = await GenericNetlinkResolver.ResolveAsync(socket, peer, JOOLNL_FAMILY, ++_seq, ResolveTimeout, time, _buffer, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            Gone(e is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "no socket has that port id" : e.Message);
            return;
        }

        if (family is null)
        {
            Gone(options.NetlinkPeer == 0 ? "the Jool module is not loaded" : "it knows no family 'Jool'");
            return;
        }

        if (!family.Groups.TryGetValue(JOOLNL_MULTICAST_GRP_NAME, out uint group))
        {
            Gone($"family 'Jool' (id {family.Id}) has no group '{JOOLNL_MULTICAST_GRP_NAME}'");
            return;
        }

        ushort oldFamily;
        uint oldGroup;
        bool wasMember;
        try
        {
            (oldFamily, oldGroup, wasMember) = connection.Rejoin(family.Id, group);
        }
        catch (SocketException e)
        {
            Gone(e.Message);
            return;
        }

        if (oldFamily != family.Id || oldGroup != group || !wasMember)
        {
            Log.FamilyRejoined(logger, options.Instance, options.NetlinkPeer, family.Id, oldFamily, group, oldGroup, wasMember ? "" : " (the kernel had taken this socket out of the group: the module was reloaded)");
        }
        else if (_goneReason is not null)
        {
            Log.FamilyBack(logger, options.NetlinkPeer, family.Id, group);
        }

        _goneReason = null;
    }

    /// <summary>Logs once per outage (the first reason), not at every check.</summary>
    private void Gone(string reason)
    {
        if (_goneReason is null)
        {
            Log.FamilyGone(logger, options.NetlinkPeer, reason, (long)CheckInterval.TotalSeconds);
        }

        _goneReason = reason;
    }
}
