using System.Buffers.Binary;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Jool;

/// <summary>Reads and writes the 28-byte <c>joolnlhdr</c> (spec 1.5).</summary>
internal static class JoolHeader
{
    /// <summary>
    /// Writes the header userspace sends: "jool", 4.1.15.0 big-endian, xt NAT64, flags 0, reserved 0, and the
    /// instance name zero-padded to 16 bytes.
    /// </summary>
    public static void Write(Span<byte> destination, ReadOnlySpan<byte> instanceName, byte xt = XT_NAT64, byte flags = 0)
    {
        if (instanceName.Length >= INAME_MAX_SIZE)
        {
            throw new ArgumentException($"An instance name has at most {INAME_MAX_SIZE - 1} bytes.", nameof(instanceName));
        }

        Span<byte> header = destination[..JOOLNL_HDRLEN];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], JOOL_VERSION);
        header[8] = xt;
        header[9] = flags;
        instanceName.CopyTo(header[12..]);
    }

    /// <summary>Magic, then major.minor, then <c>xt &amp; NAT64</c>, in the order joold checks them.</summary>
    public static JoolHeaderStatus Check(ReadOnlySpan<byte> header)
    {
        if (!header[..4].SequenceEqual(Magic))
        {
            return JoolHeaderStatus.BadMagic;
        }

        if ((Version(header) & JOOL_VERSION_MAJOR_MINOR_MASK) != (JOOL_VERSION & JOOL_VERSION_MAJOR_MINOR_MASK))
        {
            return JoolHeaderStatus.VersionMismatch;
        }

        return (Translator(header) & XT_NAT64) == 0 ? JoolHeaderStatus.NotNat64 : JoolHeaderStatus.Valid;
    }

    public static uint Version(ReadOnlySpan<byte> header) => BinaryPrimitives.ReadUInt32BigEndian(header[4..]);

    public static byte Translator(ReadOnlySpan<byte> header) => header[8];

    public static byte Flags(ReadOnlySpan<byte> header) => header[9];

    /// <summary>
    /// The instance name as a C string: up to the first NUL of the 16 bytes (the kernel's bytes after the NUL are
    /// not guaranteed zero), or all 16 when there is none. An empty name means "default" to the kernel.
    /// </summary>
    public static ReadOnlySpan<byte> InstanceName(ReadOnlySpan<byte> header)
    {
        ReadOnlySpan<byte> field = header.Slice(12, INAME_MAX_SIZE);
        int end = field.IndexOf((byte)0);
        ReadOnlySpan<byte> name = end < 0 ? field : field[..end];
        return name.IsEmpty ? "default"u8 : name;
    }

    /// <summary>"4.1.15.0" from a version word, for log messages.</summary>
    public static string FormatVersion(uint version) =>
        $"{version >> 24}.{(version >> 16) & 0xFF}.{(version >> 8) & 0xFF}.{version & 0xFF}";
}
