using System.Runtime.InteropServices;

namespace Joold.Plugins.JoolNetlink.Interop;

#pragma warning disable CS8981 // The C name, on purpose, so it can be checked against the header.

/// <summary>
/// Jool's <c>struct joolnlhdr</c> (<c>src/common/config.h</c>): 28 bytes after the genl header. Unlike the netlink
/// headers, <see cref="version"/> is big-endian.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct joolnlhdr
{
    public fixed byte magic[4];
    public uint version;
    public byte xt;
    public byte flags;
    public byte reserved1;
    public byte reserved2;
    public fixed byte iname[Jool.INAME_MAX_SIZE];
}
