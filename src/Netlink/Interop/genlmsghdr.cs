using System.Runtime.InteropServices;

namespace Joold.Netlink.Interop;

#pragma warning disable CS8981 // The C name, on purpose, so it can be checked against the header.

/// <summary><c>struct genlmsghdr</c>: 4 bytes after the nlmsghdr.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct genlmsghdr
{
    /// <summary>The family's command.</summary>
    public byte cmd;

    /// <summary>The family's interface version.</summary>
    public byte version;

    /// <summary>Zero (Linux 6.1+ rejects anything else in a request).</summary>
    public ushort reserved;
}
