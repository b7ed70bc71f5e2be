using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Joold.Netlink.Interop;
using Joold.Plugins.JoolNetlink.Interop;
using Joold.Testing;
using JoolC = Joold.Plugins.JoolNetlink.Interop.Jool;
using NetlinkC = Joold.Netlink.Interop.Netlink;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// The C definitions against the numbers of the C headers they come from, written down here as literals (never the
/// project's own constants). Where gcc and the kernel headers are on the machine, the same literals are also
/// checked by the compiler against the headers (as Tmds.LibC's StructTests do).
/// </summary>
public sealed class StructLayoutTests
{
    public static TheoryData<string> StructNames => new(Structs.Select(s => s.CName));

    public static TheoryData<string> ConstantNames => new(Constants.Select(c => c.CName));

    private static readonly CStruct[] Structs =
    [
        // <linux/netlink.h> struct sockaddr_nl: sizeof 12, nl_family at 0, nl_pad at 2, nl_pid at 4, nl_groups at 8
        new("sockaddr_nl", "linux/netlink.h", typeof(sockaddr_nl), 12, [("nl_family", 0), ("nl_pad", 2), ("nl_pid", 4), ("nl_groups", 8)]),

        // <linux/netlink.h> struct nlmsghdr: sizeof 16, nlmsg_len at 0, nlmsg_type at 4, nlmsg_flags at 6, nlmsg_seq at 8, nlmsg_pid at 12
        new("nlmsghdr", "linux/netlink.h", typeof(nlmsghdr), 16, [("nlmsg_len", 0), ("nlmsg_type", 4), ("nlmsg_flags", 6), ("nlmsg_seq", 8), ("nlmsg_pid", 12)]),

        // <linux/netlink.h> struct nlmsgerr: sizeof 20, error at 0, msg at 4
        new("nlmsgerr", "linux/netlink.h", typeof(nlmsgerr), 20, [("error", 0), ("msg", 4)]),

        // <linux/netlink.h> struct nlattr: sizeof 4, nla_len at 0, nla_type at 2
        new("nlattr", "linux/netlink.h", typeof(nlattr), 4, [("nla_len", 0), ("nla_type", 2)]),

        // <linux/genetlink.h> struct genlmsghdr: sizeof 4, cmd at 0, version at 1, reserved at 2
        new("genlmsghdr", "linux/genetlink.h", typeof(genlmsghdr), 4, [("cmd", 0), ("version", 1), ("reserved", 2)]),

        // Jool 4.1 src/common/config.h struct joolnlhdr: sizeof 28, magic at 0, version at 4, xt at 8, flags at 9,
        // reserved1 at 10, reserved2 at 11, iname at 12 (INAME_MAX_SIZE 16 bytes). No header on this machine: literals only.
        new("joolnlhdr", null, typeof(joolnlhdr), 28, [("magic", 0), ("version", 4), ("xt", 8), ("flags", 9), ("reserved1", 10), ("reserved2", 11), ("iname", 12)]),
    ];

    private static readonly CConstant[] Constants =
    [
        // <linux/netlink.h>
        new("NETLINK_GENERIC", "linux/netlink.h", 16, NetlinkC.NETLINK_GENERIC),
        new("NETLINK_ADD_MEMBERSHIP", "linux/netlink.h", 1, NetlinkC.NETLINK_ADD_MEMBERSHIP),
        new("NETLINK_DROP_MEMBERSHIP", "linux/netlink.h", 2, NetlinkC.NETLINK_DROP_MEMBERSHIP),
        new("NETLINK_LIST_MEMBERSHIPS", "linux/netlink.h", 9, NetlinkC.NETLINK_LIST_MEMBERSHIPS),
        new("NLM_F_REQUEST", "linux/netlink.h", 0x0001, NetlinkC.NLM_F_REQUEST),
        new("NLM_F_MULTI", "linux/netlink.h", 0x0002, NetlinkC.NLM_F_MULTI),
        new("NLM_F_ACK", "linux/netlink.h", 0x0004, NetlinkC.NLM_F_ACK),
        new("NLM_F_ROOT", "linux/netlink.h", 0x0100, NetlinkC.NLM_F_ROOT),
        new("NLM_F_MATCH", "linux/netlink.h", 0x0200, NetlinkC.NLM_F_MATCH),
        new("NLM_F_DUMP", "linux/netlink.h", 0x0300, NetlinkC.NLM_F_DUMP),
        new("NLMSG_NOOP", "linux/netlink.h", 1, NetlinkC.NLMSG_NOOP),
        new("NLMSG_ERROR", "linux/netlink.h", 2, NetlinkC.NLMSG_ERROR),
        new("NLMSG_DONE", "linux/netlink.h", 3, NetlinkC.NLMSG_DONE),
        new("NLMSG_OVERRUN", "linux/netlink.h", 4, NetlinkC.NLMSG_OVERRUN),
        new("NLMSG_MIN_TYPE", "linux/netlink.h", 0x10, NetlinkC.NLMSG_MIN_TYPE),
        new("NLMSG_ALIGNTO", "linux/netlink.h", 4, NetlinkC.NLMSG_ALIGNTO),
        new("NLMSG_HDRLEN", "linux/netlink.h", 16, NetlinkC.NLMSG_HDRLEN),
        new("NLA_HDRLEN", "linux/netlink.h", 4, NetlinkC.NLA_HDRLEN),
        new("NLA_F_NESTED", "linux/netlink.h", 0x8000, NetlinkC.NLA_F_NESTED),
        new("NLA_F_NET_BYTEORDER", "linux/netlink.h", 0x4000, NetlinkC.NLA_F_NET_BYTEORDER),
        new("(unsigned short)NLA_TYPE_MASK", "linux/netlink.h", 0x3FFF, NetlinkC.NLA_TYPE_MASK),
        new("sizeof(struct nlmsgerr)", "linux/netlink.h", 20, NetlinkC.NLMSGERR_SIZE),

        // <linux/genetlink.h>
        new("GENL_HDRLEN", "linux/genetlink.h", 4, NetlinkC.GENL_HDRLEN),
        new("GENL_ID_CTRL", "linux/genetlink.h", 0x10, NetlinkC.GENL_ID_CTRL),
        new("CTRL_CMD_NEWFAMILY", "linux/genetlink.h", 1, NetlinkC.CTRL_CMD_NEWFAMILY),
        new("CTRL_CMD_GETFAMILY", "linux/genetlink.h", 3, NetlinkC.CTRL_CMD_GETFAMILY),
        new("CTRL_ATTR_FAMILY_ID", "linux/genetlink.h", 1, NetlinkC.CTRL_ATTR_FAMILY_ID),
        new("CTRL_ATTR_FAMILY_NAME", "linux/genetlink.h", 2, NetlinkC.CTRL_ATTR_FAMILY_NAME),
        new("CTRL_ATTR_VERSION", "linux/genetlink.h", 3, NetlinkC.CTRL_ATTR_VERSION),
        new("CTRL_ATTR_HDRSIZE", "linux/genetlink.h", 4, NetlinkC.CTRL_ATTR_HDRSIZE),
        new("CTRL_ATTR_MAXATTR", "linux/genetlink.h", 5, NetlinkC.CTRL_ATTR_MAXATTR),
        new("CTRL_ATTR_MCAST_GROUPS", "linux/genetlink.h", 7, NetlinkC.CTRL_ATTR_MCAST_GROUPS),
        new("CTRL_ATTR_MCAST_GRP_NAME", "linux/genetlink.h", 1, NetlinkC.CTRL_ATTR_MCAST_GRP_NAME),
        new("CTRL_ATTR_MCAST_GRP_ID", "linux/genetlink.h", 2, NetlinkC.CTRL_ATTR_MCAST_GRP_ID),

        // <bits/socket.h>, <linux/socket.h>, as Tmds.LibC has them
        new("SOL_NETLINK", "sys/socket.h", 270, Tmds.Linux.LibC.SOL_NETLINK),
        new("AF_NETLINK", "sys/socket.h", 16, Tmds.Linux.LibC.AF_NETLINK),

        // Jool 4.1.15 src/common/config.h, types.h, xlat.h (no header on this machine: literals only)
        new("JOOLNL_HDRLEN", null, 28, JoolC.JOOLNL_HDRLEN),
        new("INAME_MAX_SIZE", null, 16, JoolC.INAME_MAX_SIZE),
        new("JOOL_VERSION", null, 0x04010F00, JoolC.JOOL_VERSION),
        new("XT_SIIT", null, 1, JoolC.XT_SIIT),
        new("XT_NAT64", null, 2, JoolC.XT_NAT64),
        new("JOOLNLHDR_FLAGS_ERROR", null, 1, JoolC.JOOLNLHDR_FLAGS_ERROR),
        new("JNLOP_INSTANCE_HELLO", null, 2, JoolC.JNLOP_INSTANCE_HELLO),
        new("JNLOP_JOOLD_ADD", null, 27, JoolC.JNLOP_JOOLD_ADD),
        new("JNLOP_JOOLD_ADVERTISE", null, 28, JoolC.JNLOP_JOOLD_ADVERTISE),
        new("JNLOP_JOOLD_ACK", null, 29, JoolC.JNLOP_JOOLD_ACK),
        new("JNLAR_SESSION_ENTRIES", null, 7, JoolC.JNLAR_SESSION_ENTRIES),
        new("JNLAERR_CODE", null, 1, JoolC.JNLAERR_CODE),
        new("JNLAERR_MSG", null, 2, JoolC.JNLAERR_MSG),
        new("JNLAIS_STATUS", null, 1, JoolC.JNLAIS_STATUS),
        new("IHS_ALIVE", null, 0, JoolC.IHS_ALIVE),
        new("IHS_DEAD", null, 1, JoolC.IHS_DEAD),
    ];

    [Theory]
    [MemberData(nameof(StructNames))]
    public void Each_struct_has_the_size_and_field_offsets_of_its_c_header(string name)
    {
        var c = Structs.Single(s => s.CName == name);

        Assert.Equal(c.Size, Marshal.SizeOf(c.Type));
        foreach (var (field, offset) in c.Fields)
        {
            Assert.True(offset == (int)Marshal.OffsetOf(c.Type, field), $"{name}.{field}: expected at {offset}, found at {Marshal.OffsetOf(c.Type, field)}");
        }

        // Every field of the C struct is listed, so a field added here without its C counterpart shows.
        Assert.Equal(c.Fields.Length, c.Type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public).Length);
    }

    [Theory]
    [MemberData(nameof(ConstantNames))]
    public void Each_constant_has_the_value_of_its_c_header(string name)
    {
        var c = Constants.Single(k => k.CName == name);

        Assert.Equal(c.Value, c.Ours);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(4, 4)]
    [InlineData(17, 20)]
    [InlineData(65535, 65536)]
    public void The_align_macros_round_up_to_four(int length, int aligned)
    {
        // <linux/netlink.h>: NLMSG_ALIGN(len) and NLA_ALIGN(len) are ((len) + 3) & ~3.
        Assert.Equal(aligned, NetlinkC.NLMSG_ALIGN(length));
        Assert.Equal(aligned, NetlinkC.NLA_ALIGN(length));
    }

    [Fact]
    public async Task The_literals_match_this_machines_kernel_headers_as_gcc_compiles_them()
    {
        Assert.SkipUnless(File.Exists("/usr/include/linux/netlink.h") && FindGcc() is not null, "gcc or the kernel headers (linux-libc-dev) are not installed; the literals are still checked above.");
        using var directory = new TempDirectory("joold-structs-");
        string source = directory.File("structs.c", CheckProgram());

        var gcc = Process.Start(new ProcessStartInfo(FindGcc()!, ["-fsyntax-only", "-std=c11", source])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        string errors = await gcc.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await gcc.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(gcc.ExitCode == 0, $"gcc disagrees with the literals:\n{errors}");
    }

    /// <summary>A C file of static assertions: every literal above, against the header that defines it.</summary>
    private static string CheckProgram()
    {
        var c = new StringBuilder();
        c.AppendLine("#define _GNU_SOURCE").AppendLine("#include <stddef.h>").AppendLine("#include <sys/socket.h>");
        c.AppendLine("#include <linux/netlink.h>").AppendLine("#include <linux/genetlink.h>");
        foreach (var s in Structs.Where(s => s.Header is not null))
        {
            c.AppendLine($"_Static_assert(sizeof(struct {s.CName}) == {s.Size}, \"sizeof(struct {s.CName})\");");
            foreach (var (field, offset) in s.Fields)
            {
                c.AppendLine($"_Static_assert(offsetof(struct {s.CName}, {field}) == {offset}, \"{s.CName}.{field}\");");
            }
        }

        foreach (var k in Constants.Where(k => k.Header is not null))
        {
            c.AppendLine($"_Static_assert({k.CName} == {k.Value}, \"{k.CName}\");");
        }

        return c.ToString();
    }

    private static string? FindGcc() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Select(d => Path.Combine(d, "gcc")).FirstOrDefault(File.Exists);

    private sealed record CStruct(string CName, string? Header, Type Type, int Size, (string Name, int Offset)[] Fields);

    private sealed record CConstant(string CName, string? Header, long Value, long Ours);
}
