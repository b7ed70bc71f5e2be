using System.Buffers.Binary;
using System.Text;
using Tmds.Linux;
using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// The checks a Jool request passes before its handler acts, in the kernel's order: genetlink's operation lookup and
/// attribute validation (a failure is a bare NLMSG_ERROR), then Jool's request_handle_start (a failure is a Jool
/// error reply, spec 1.6 D). <see cref="JoolRequest.TryParse"/> ran first, so the header is all there.
/// </summary>
internal static class RequestValidation
{
    /// <summary>genetlink, after the header checks: 0, or the negative errno of the NLMSG_ERROR.</summary>
    public static int CheckOperation(in JoolRequest request)
    {
        if (request.Command is not (JNLOP_INSTANCE_HELLO or JNLOP_JOOLD_ADD or JNLOP_JOOLD_ADVERTISE or JNLOP_JOOLD_ACK))
        {
            return -LibC.EOPNOTSUPP; // The fake knows only the commands joold uses.
        }

        if ((request.Flags & NLM_F_DUMP) == NLM_F_DUMP)
        {
            return -LibC.EOPNOTSUPP; // Jool's operations have no dumpit.
        }

        return JoolAttributePolicy.Validate(request.Attributes);
    }

    /// <summary>
    /// request_handle_start (<c>src/mod/common/nl/nl_common.c</c>): magic, xt, version major.minor, iname, then the
    /// instance lookup. Returns the error text (with <paramref name="errno"/>, positive), or null when the request
    /// may go on; <paramref name="instance"/> is the named instance if it exists.
    /// </summary>
    public static string? CheckJoolHeader(in JoolRequest request, IReadOnlyDictionary<string, FakeInstance> instances, out int errno, out FakeInstance? instance)
    {
        ReadOnlySpan<byte> header = request.Header;
        errno = LibC.EINVAL;
        instance = null;
        if (!header.Slice(JOOLNLHDR_MAGIC_OFFSET, JOOLNL_HDR_MAGIC_LEN).SequenceEqual(MagicBytes))
        {
            return $"Don't know what to do: magic number is not '{JOOLNL_HDR_MAGIC}'.";
        }

        byte xt = header[JOOLNLHDR_XT_OFFSET];
        if (xt is not (XT_SIIT or XT_NAT64))
        {
            return $"Unknown translator type: {xt}";
        }

        uint version = BinaryPrimitives.ReadUInt32BigEndian(header[JOOLNLHDR_VERSION_OFFSET..]);
        if ((version & JOOL_VERSION_COMPARED) != (JOOL_VERSION & JOOL_VERSION_COMPARED))
        {
            return $"Version mismatch. The userspace client's version is {VersionText(version)}, but the kernel module is {VersionText(JOOL_VERSION)}.";
        }

        // iname_validate (src/common/config.c): a NUL within the 16 bytes, and printable ASCII before it.
        ReadOnlySpan<byte> field = header.Slice(JOOLNLHDR_INAME_OFFSET, INAME_MAX_SIZE);
        int end = field.IndexOf((byte)0);
        if (end < 0 || field[..end].IndexOfAnyExceptInRange((byte)' ', (byte)0x7F) >= 0)
        {
            return $"The instance name must be a null-terminated ascii string, {INAME_MAX_SIZE - 1} characters max.";
        }

        string name = end == 0 ? INAME_DEFAULT : Encoding.ASCII.GetString(field[..end]);
        instances.TryGetValue(name, out instance);
        if (request.Command == JNLOP_INSTANCE_HELLO)
        {
            return null; // HELLO accepts any translator type and answers "dead" rather than failing.
        }

        if ((xt & XT_NAT64) == 0)
        {
            return "NAT64 Jool has not been modprobed.";
        }

        if (instance is null)
        {
            errno = LibC.ESRCH;
            return $"This namespace lacks an instance named '{name}'.";
        }

        // Root only here: the CAP_NET_ADMIN check (EPERM) is not emulated.
        return null;
    }

    private static string VersionText(uint version) =>
        $"{version >> 24}.{(version >> 16) & 0xFF}.{(version >> 8) & 0xFF}.{version & 0xFF}";
}
