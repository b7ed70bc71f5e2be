using System.Runtime.InteropServices;

namespace Joold.Netlink.Interop;

#pragma warning disable CS8981 // The C name, on purpose, so it can be checked against the header.

/// <summary><c>struct nlmsghdr</c>: 16 bytes, host byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct nlmsghdr
{
    /// <summary>Length of the whole message, this header included.</summary>
    public uint nlmsg_len;
    public ushort nlmsg_type;
    public ushort nlmsg_flags;
    public uint nlmsg_seq;
    public uint nlmsg_pid;
}
