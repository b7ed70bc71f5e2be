using System.Runtime.InteropServices;

namespace Joold.Netlink.Interop;

#pragma warning disable CS8981 // The C name, on purpose, so it can be checked against the header.

/// <summary><c>struct nlmsghdr</c>: 16 bytes, host byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct nlmsghdr
{
    /// <summary>Length of the whole message, this header included.</summary>
    public uint nlmsg_len;

    /// <summary>The message type: a netlink core type, or a generic netlink family id.</summary>
    public ushort nlmsg_type;

    /// <summary>NLM_F_* flags.</summary>
    public ushort nlmsg_flags;

    /// <summary>Sequence number; an answer carries its request's.</summary>
    public uint nlmsg_seq;

    /// <summary>The sending socket's port id (0 for the kernel).</summary>
    public uint nlmsg_pid;
}
