using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Joold.Configuration;

/// <summary>
/// Reads a configuration file with limits: only a regular file (a FIFO would block the start forever, /dev/zero
/// would fill memory) and at most <see cref="ConfigSection.MaxFileBytes"/>. The one OS call of Core: .NET does not
/// tell a FIFO or a device from a regular file before opening it, and opening a FIFO blocks.
/// </summary>
internal static partial class ConfigFile
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const int StatxModeOffset = 28;
    private const int StatxSizeOffset = 40;
    private const int StatxBufferSize = 256;
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;

    public static string Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        CheckType(path);
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            bytes = ReadBounded(path, stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JooldConfigException($"{path}: cannot read the file: {e.Message}", e);
        }

        // File.ReadAllText's decoding: UTF-8, with or without a byte order mark.
        var text = bytes.AsSpan();
        return Encoding.UTF8.GetString(text.StartsWith(Encoding.UTF8.Preamble) ? text[Encoding.UTF8.Preamble.Length..] : text);
    }

    /// <summary>Reads one byte more than the limit, so a file that grew after the check is refused too.</summary>
    private static byte[] ReadBounded(string path, FileStream stream)
    {
        var buffer = new byte[Math.Min(ConfigSection.MaxFileBytes + 1, Math.Max(stream.Length + 1, 4096))];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > ConfigSection.MaxFileBytes)
                {
                    throw TooLarge(path, $"more than {ConfigSection.MaxFileBytes} bytes");
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, ConfigSection.MaxFileBytes + 1));
            }

            int read = stream.Read(buffer, total, buffer.Length - total);
            if (read == 0)
            {
                return buffer[..total];
            }

            total += read;
        }
    }

    private static unsafe void CheckType(string path)
    {
        byte* statx = stackalloc byte[StatxBufferSize];
        if (Statx(AtFdCwd, path, 0, StatxType | StatxSize, statx) != 0)
        {
            return; // missing, unreadable, or no statx: opening the file reports it in the operator's words
        }

        int mode = *(ushort*)(statx + StatxModeOffset);
        if ((mode & FileTypeMask) != RegularFile)
        {
            throw new JooldConfigException($"{path}: is {Describe(mode & FileTypeMask)}, not a regular file; expected a JSON file.");
        }

        ulong size = *(ulong*)(statx + StatxSizeOffset);
        if (size > ConfigSection.MaxFileBytes)
        {
            throw TooLarge(path, string.Create(CultureInfo.InvariantCulture, $"{size} bytes"));
        }
    }

    private static JooldConfigException TooLarge(string path, string size) =>
        new($"{path}: the file is {size}; a configuration file may be at most {ConfigSection.MaxFileBytes} bytes (1 MiB).");

    private static string Describe(int type) => type switch
    {
        0x1000 => "a named pipe (FIFO)",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "a special file",
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);
}
