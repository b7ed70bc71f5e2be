using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.Netlink;

/// <summary>
/// Resolves a generic netlink family through the controller (CTRL_CMD_GETFAMILY), as libnl's
/// <c>genl_ctrl_resolve</c> and <c>genl_ctrl_resolve_grp</c> do. Used at startup, before anything else reads the
/// socket, so it reads the reply itself.
/// </summary>
public static class GenericNetlinkResolver
{
    private const int BufferSize = 64 * 1024;

    /// <summary>
    /// <see cref="ResolveAsync(NetlinkSocket, SocketAddress, string, uint, TimeSpan, TimeProvider, CancellationToken)"/>
    /// on the system clock.
    /// </summary>
    public static Task<GenericNetlinkFamily?> ResolveAsync(
        NetlinkSocket socket,
        SocketAddress controller,
        string name,
        uint seq,
        TimeSpan timeout,
        CancellationToken cancellationToken) =>
        ResolveAsync(socket, controller, name, seq, timeout, TimeProvider.System, cancellationToken);

    /// <summary>
    /// Asks <paramref name="controller"/> (the kernel, <c>NetlinkAddress.Create(0)</c>, or a stand-in) for family
    /// <paramref name="name"/> and reads the answer. The family, or null when the controller says it does not
    /// exist (ENOENT).
    /// </summary>
    /// <param name="socket">A socket no one else reads yet.</param>
    /// <param name="controller">Where the request goes.</param>
    /// <param name="name">The family name, such as "nlctrl".</param>
    /// <param name="seq">The request's sequence number; the answer carries it.</param>
    /// <param name="timeout">How long to wait for the answer (and for room to send the request).</param>
    /// <param name="time">The clock of <paramref name="timeout"/>.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="SocketException">The request could not be sent, or the controller answered another error.</exception>
    public static async Task<GenericNetlinkFamily?> ResolveAsync(
        NetlinkSocket socket,
        SocketAddress controller,
        string name,
        uint seq,
        TimeSpan timeout,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(time);
        return await ResolveAsync(socket, controller, name, seq, timeout, time, new byte[BufferSize], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// As <see cref="ResolveAsync(NetlinkSocket, SocketAddress, string, uint, TimeSpan, TimeProvider, CancellationToken)"/>,
    /// reading into <paramref name="buffer"/> (at least 64 KiB), for callers that resolve again and again.
    /// </summary>
    public static async Task<GenericNetlinkFamily?> ResolveAsync(
        NetlinkSocket socket,
        SocketAddress controller,
        string name,
        uint seq,
        TimeSpan timeout,
        TimeProvider time,
        Memory<byte> buffer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, BufferSize);
        int length = WriteRequest(buffer.Span, name, seq, socket.PortId);
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var sender = NetlinkAddress.CreateForReceive();
        try
        {
            var sent = await socket.SendToAsync(buffer[..length], controller, timeout, time, deadline.Token).ConfigureAwait(false);
            if (sent != SocketError.Success)
            {
                throw new SocketException((int)sent, $"Asking netlink port id {NetlinkAddress.PortIdOf(controller)} for family '{name}' failed: {sent}.");
            }

            while (true)
            {
                int received = await socket.ReceiveAsync(buffer, sender, deadline.Token).ConfigureAwait(false);
                if (TryParseReply(buffer.Span[..received], seq, out var family, out int error))
                {
                    return error switch
                    {
                        0 => family,
                        _ when -error == Tmds.Linux.LibC.ENOENT => null,
                        _ => throw new SocketException(-error, $"Resolving generic netlink family '{name}' failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(-error)} (errno {-error})."),
                    };
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer from netlink port id {NetlinkAddress.PortIdOf(controller)} within {timeout.TotalSeconds:0.#} s while resolving generic netlink family '{name}'.");
        }
    }

    /// <summary>Writes CTRL_CMD_GETFAMILY for <paramref name="name"/>; returns the message length.</summary>
    public static int WriteRequest(Span<byte> buffer, string name, uint seq, uint portId)
    {
        ArgumentNullException.ThrowIfNull(name);
        var writer = new NetlinkMessageWriter(buffer, GENL_ID_CTRL, NLM_F_REQUEST, seq, portId);
        writer.WriteGenericHeader(CTRL_CMD_GETFAMILY, 1);
        writer.WriteAttributeString(CTRL_ATTR_FAMILY_NAME, name);
        return writer.Finish().Length;
    }

    /// <summary>
    /// Looks for the answer to request <paramref name="seq"/> in a datagram. True with error 0 and the family, or
    /// with the negative errno of an NLMSG_ERROR; false when the datagram holds no answer to that request.
    /// </summary>
    public static bool TryParseReply(ReadOnlySpan<byte> datagram, uint seq, out GenericNetlinkFamily? family, out int error)
    {
        family = null;
        error = 0;
        foreach (var message in new NetlinkMessageEnumerator(datagram))
        {
            if (message.Sequence != seq)
            {
                continue;
            }

            if (message.Type == NLMSG_ERROR)
            {
                error = message.ErrorCode ?? -Tmds.Linux.LibC.EINVAL;
                if (error == 0)
                {
                    continue; // An ACK, not the answer.
                }

                return true;
            }

            if (message.Type != GENL_ID_CTRL || message.Payload.Length < GENL_HDRLEN)
            {
                continue;
            }

            family = ParseFamily(message.Payload[GENL_HDRLEN..]);
            if (family is null)
            {
                error = -Tmds.Linux.LibC.EINVAL;
            }

            return true;
        }

        return false;
    }

    /// <summary>Reads a CTRL_CMD_NEWFAMILY message's attributes; null when it has no family id.</summary>
    public static GenericNetlinkFamily? ParseFamily(ReadOnlySpan<byte> attributes)
    {
        ushort? id = null;
        string? name = null;
        var groups = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var attribute in new NetlinkAttributeEnumerator(attributes))
        {
            switch (attribute.Type)
            {
                case CTRL_ATTR_FAMILY_ID when attribute.Payload.Length >= 2:
                    id = BinaryPrimitives.ReadUInt16LittleEndian(attribute.Payload);
                    break;
                case CTRL_ATTR_FAMILY_NAME:
                    name = ReadString(attribute.Payload);
                    break;
                case CTRL_ATTR_MCAST_GROUPS:
                    foreach (var group in new NetlinkAttributeEnumerator(attribute.Payload))
                    {
                        string? groupName = NetlinkAttributeEnumerator.TryFind(group.Payload, CTRL_ATTR_MCAST_GRP_NAME, out var n) ? ReadString(n) : null;
                        uint? groupId = NetlinkAttributeEnumerator.TryFind(group.Payload, CTRL_ATTR_MCAST_GRP_ID, out var g) && g.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(g) : null;
                        if (groupName is not null && groupId is not null)
                        {
                            groups.TryAdd(groupName, groupId.Value);
                        }
                    }

                    break;
            }
        }

        return id is null ? null : new GenericNetlinkFamily(name ?? "", id.Value, groups);
    }

    /// <summary>A NUL-terminated (or not) string attribute as UTF-8, cut at its first NUL.</summary>
    public static string ReadString(ReadOnlySpan<byte> payload)
    {
        int end = payload.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? payload : payload[..end]);
    }
}
