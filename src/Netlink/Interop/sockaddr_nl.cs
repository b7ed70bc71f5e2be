using System.Runtime.InteropServices;

namespace Joold.Netlink.Interop;

#pragma warning disable CS8981 // The C name, on purpose, so it can be checked against the header.

/// <summary><c>struct sockaddr_nl</c>: 12 bytes, host byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct sockaddr_nl
{
    /// <summary>AF_NETLINK.</summary>
    public ushort nl_family;

    /// <summary>Zero.</summary>
    public ushort nl_pad;

    /// <summary>Port id: 0 is the kernel; a user socket's is chosen at bind.</summary>
    public uint nl_pid;

    /// <summary>Multicast group mask (groups 1 to 32 only; higher groups need NETLINK_ADD_MEMBERSHIP).</summary>
    public uint nl_groups;
}
