using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Joold.Configuration;

/// <summary>
/// Reads a configuration file, or a file a configuration key names, with limits: only a regular file (a FIFO would
/// block the start forever, /dev/zero would fill memory) and at most <see cref="ConfigSection.MaxFileBytes"/>. The
/// one OS call of Core: .NET does not tell a FIFO or a device from a regular file before opening it, and opening a
/// FIFO blocks.
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
        if (TryStat(path, out int type, out ulong size))
        {
            if (type != RegularFile)
            {
                throw new JooldConfigException($"{path}: is {Describe(type)}, not a regular file; expected a JSON file.");
            }

            if (size > ConfigSection.MaxFileBytes)
            {
                throw TooLarge(path, string.Create(CultureInfo.InvariantCulture, $"{size} bytes"));
            }
        }

        try
        {
            return ReadText(path, () => TooLarge(path, $"more than {ConfigSection.MaxFileBytes} bytes"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JooldConfigException($"{path}: cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the file that <paramref name="key"/> of <paramref name="source"/> names, with the limits of a
    /// configuration file; every refusal is one <see cref="JooldConfigException"/> naming the key and the file.
    /// </summary>
    public static string ReadNamed(string source, string key, string path, string expected)
    {
        ArgumentNullException.ThrowIfNull(path);
        JooldConfigException Refused(string problem) => new(source, key, $"\"{path}\" ({problem})", expected);
        if (TryStat(path, out int type, out ulong size))
        {
            if (type != RegularFile)
            {
                throw Refused($"{Describe(type)}, not a regular file");
            }

            if (size > ConfigSection.MaxFileBytes)
            {
                throw Refused(string.Create(CultureInfo.InvariantCulture, $"{size} bytes; at most {ConfigSection.MaxFileBytes} (1 MiB) are read"));
            }
        }

        try
        {
            return ReadText(path, () => Refused($"more than {ConfigSection.MaxFileBytes} bytes; at most {ConfigSection.MaxFileBytes} (1 MiB) are read"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Refused(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : $"cannot be read: {e.Message}");
        }
    }

    private static string ReadText(string path, Func<Exception> tooLarge)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var bytes = ReadBounded(stream, tooLarge).AsSpan();

        // File.ReadAllText's decoding: UTF-8, with or without a byte order mark.
        return Encoding.UTF8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
    }

    /// <summary>Reads one byte more than the limit, so a file that grew after the check is refused too.</summary>
    private static byte[] ReadBounded(FileStream stream, Func<Exception> tooLarge)
    {
        var buffer = new byte[Math.Min(ConfigSection.MaxFileBytes + 1, Math.Max(stream.Length + 1, 4096))];
        int total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > ConfigSection.MaxFileBytes)
                {
                    throw tooLarge();
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

    /// <summary>False when the file is missing, unreadable, or statx is absent: opening it then says why.</summary>
    private static unsafe bool TryStat(string path, out int type, out ulong size)
    {
        byte* statx = stackalloc byte[StatxBufferSize];
        if (Statx(AtFdCwd, path, 0, StatxType | StatxSize, statx) != 0)
        {
            (type, size) = (0, 0);
            return false;
        }

        type = *(ushort*)(statx + StatxModeOffset) & FileTypeMask;
        size = *(ulong*)(statx + StatxSizeOffset);
        return true;
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
