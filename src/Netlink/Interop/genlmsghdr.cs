using System.Runtime.InteropServices;

namespace Joold.Netlink.Interop;

#pragma warning disable CS8981 // The C name, on purpose, so it can be checked against the header.

/// <summary><c>struct genlmsghdr</c>: 4 bytes after the nlmsghdr.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct genlmsghdr
{
    public byte cmd;
    public byte version;
    public ushort reserved;
}
