using System.Runtime.InteropServices;

namespace Joold.Netlink.Interop;

#pragma warning disable CS8981 // The C name, on purpose, so it can be checked against the header.

/// <summary><c>struct nlmsgerr</c>: the payload of an NLMSG_ERROR, 20 bytes, host byte order.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct nlmsgerr
{
    /// <summary>A negative errno, or 0 for an acknowledgement.</summary>
    public int error;

    /// <summary>The header of the request this answers.</summary>
    public nlmsghdr msg;
}
