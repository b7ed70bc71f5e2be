using System.Text;
using Tmds.Linux;

namespace Joold.Host.Plugins;

/// <summary>
/// A plugin is code the daemon runs as root, so, as sshd's StrictModes does for its files, it is loaded only when
/// no one else could have changed it: its plugins folder, its own folder, and every file and folder inside it must
/// be owned by root or by the daemon's user, and not writable by group or others.
/// </summary>
internal sealed class PluginFileCheck
{
    private const uint GroupOrOthersWrite = 0b000_010_010; // S_IWGRP | S_IWOTH

    private readonly uint _ownUser = (uint)LibC.geteuid();

    /// <summary>What makes the plugin in <paramref name="pluginFolder"/> unsafe, in a few words naming the path; null when nothing does.</summary>
    public string? FindUnsafe(string pluginsFolder, string pluginFolder)
    {
        IEnumerable<string> paths =
        [
            pluginsFolder,
            pluginFolder,
            .. Directory.EnumerateFileSystemEntries(pluginFolder, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }),
        ];
        foreach (string path in paths)
        {
            string? problem = Problem(path);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private unsafe string? Problem(string path)
    {
        byte[] name = Encoding.UTF8.GetBytes(path + "\0");
        stat status;
        int result;
        fixed (byte* pathname = name)
        {
            result = LibC.stat(pathname, &status);
        }

        if (result != 0)
        {
            return $"'{path}' cannot be checked (errno {LibC.errno})";
        }

        uint mode = (uint)status.st_mode;
        uint owner = (uint)status.st_uid;
        if (owner != 0 && owner != _ownUser)
        {
            return $"'{path}' is owned by uid {owner}, neither root nor joold's user (uid {_ownUser})";
        }

        if ((mode & GroupOrOthersWrite) != 0)
        {
            string octal = Convert.ToString(mode & 0xFFF, 8).PadLeft(4, '0');
            return $"'{path}' is writable by {((mode & 0b010_000) != 0 ? "its group" : "others")} (mode {octal})";
        }

        return null;
    }
}
