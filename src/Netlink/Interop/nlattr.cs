using System.Runtime.InteropServices;

namespace Joold.Netlink.Interop;

#pragma warning disable CS8981 // The C name, on purpose, so it can be checked against the header.

/// <summary><c>struct nlattr</c>: 4 bytes, host byte order; the payload follows, padded to 4.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct nlattr
{
    /// <summary>Header plus payload, without the padding.</summary>
    public ushort nla_len;

    /// <summary>Type in the low 14 bits, NLA_F_NESTED / NLA_F_NET_BYTEORDER in the top two.</summary>
    public ushort nla_type;
}
